package chat.persistence;

import chat.protocol.ErrorCode;
import java.util.List;

/**
 * What a store request is answered: stored (perhaps earlier, as a duplicate), failed with a code
 * (surely not stored), or unknown (its COMMIT was sent and not answered in time).
 */
sealed interface StoreOutcome {

  /** One recipient's copy of a stored message and its place in that recipient's inbox. */
  record Delivery(int user, long seq) {}

  /** A duplicate carries the original's id and time and no deliveries: nobody gets it twice. */
  record Stored(long messageId, String time, boolean duplicate, List<Delivery> deliveries) implements StoreOutcome {
    Stored asDuplicate() {
      return new Stored(messageId, time, true, List.of());
    }
  }

  record Failed(ErrorCode code, String message) implements StoreOutcome {}

  /**
   * Maybe stored: the database did not answer the COMMIT in time. If it answers later, the request
   * gets a second, late outcome (see {@link MessageBatcher}); a resend with the same cmid learns it.
   */
  record Unknown() implements StoreOutcome {}
}
