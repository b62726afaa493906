package chat.protocol.bus;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One chat message for the message store, at {@link chat.protocol.Addresses#STORE_MESSAGE}: to a
 * user ({@code to}) or a group ({@code group}), stamped by the sender's gateway at {@code time}, with the client's
 * id for it ({@code cmid}, v2) and the time (epoch ms) after which the sender no longer waits.
 * Not a {@link StoreRequest}: the store answers it on its own clock, with a {@link Reply}: stored,
 * or {@link Unknown} when its COMMIT got no answer in time (never a refusal: it may be stored),
 * or a failure with a code when it is surely not stored.
 */
public record StoreMessage(int from, Integer to, Integer group, String text, LocalDateTime time, String cmid, long deadline) {
  /**
   * The longest a sender waits for the store, from the send (the event-bus send timeout is 30 s).
   * The store answers sooner, within its CHAT_DB_TIMEOUT_MS (at most this); this is also how long
   * after its batch began the store still learns a late commit's outcome for {@link AwaitLate}.
   */
  public static final long WAIT_MS = 25_000;

  /**
   * Stored as {@code messageId} at {@code time}, and numbered {@code seq} in each recipient's
   * inbox. A resend with a known cmid is {@code duplicate}: the first one's id and time, no
   * deliveries.
   */
  public record Stored(long messageId, LocalDateTime time, boolean duplicate, List<Target> deliveries) implements Reply {}

  /** What the store answers a message: {@link Stored} or {@link Unknown}; a refusal is a failure with its code. */
  public sealed interface Reply permits Stored, Unknown {}

  /**
   * The COMMIT was sent and did not answer within {@code timeoutMs}: the message may be stored.
   * The sender may reply to this reply with {@link AwaitLate}, to get the {@link Stored} if the
   * commit lands after all (so that it can still deliver it); a resend with the same cmid is
   * deduplicated either way.
   */
  public record Unknown(long timeoutMs) implements Reply {}

  /** The reply to an {@link Unknown}: answered with the late {@link Stored}, or failed when there is none. */
  public record AwaitLate(long waitMs) {}

  /** The message is number {@code seq} of {@code user}'s inbox. */
  public record Target(int user, long seq) {}

  /** Never the text: logs carry no message text. */
  @Override
  public String toString() {
    return "StoreMessage[from=" + from + ", to=" + to + ", group=" + group + ", cmid=" + (cmid != null) + "]";
  }
}
