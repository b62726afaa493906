package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.eventbus.Message;
import java.time.LocalDateTime;

/**
 * The bus side of {@link MessageBatcher}: a {@link StoreMessage} read into the batcher's
 * {@link Submission}, and its outcome answered as a {@link StoreMessage.Stored} or a failure with
 * its code: BAD_FIELD (malformed cmid), NOT_FOUND (unknown user or group), FORBIDDEN (sender not
 * in the group, or blocked by the recipient), LIMIT_REACHED (recipient's backlog at its cap, see
 * {@link InboxCap}), RATE_LIMITED (too many messages to strangers, see {@link StrangerGate}),
 * OVERLOADED and UNAVAILABLE (see {@link MessageBatcher}); or outcome unknown ({@link StoreAnswer}).
 * Every request is answered within the store's timeout of its arrival, stranger check included.
 */
final class StoreEndpoint {
  private final MessageBatcher batcher;
  private final Timers timers;
  private final StrangerGate strangers;
  private final StoreMetrics metrics;
  private final long timeoutMs;

  StoreEndpoint(MessageBatcher batcher, Timers timers, StrangerGate strangers, StoreMetrics metrics, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.batcher = batcher;
    this.timers = timers;
    this.strangers = strangers;
    this.metrics = metrics;
  }

  void handle(Message<StoreMessage> message) {
    StoreMessage m = message.body();
    long now = timers.now();
    String badCmid = ClientIds.problem(m.cmid());
    if (badCmid != null) {
      // a request past its deadline has always been told so first, malformed cmid or not
      boolean late = m.deadline() <= now;
      message.fail(late ? ErrorCode.UNAVAILABLE.code() : ErrorCode.BAD_FIELD.code(), late ? "deadline passed" : badCmid);
      return;
    }
    if (m.text() == null || m.time() == null || (m.to() == null) == (m.group() == null)) {
      message.fail(ErrorCode.BAD_FIELD.code(), "malformed store request");
      return;
    }
    long deadline = Math.min(m.deadline(), now + timeoutMs);
    // the time is stored and echoed as text: LocalDateTime's own form, which MariaDB reads
    Submission request = new Submission(m.from(), m.to(), m.group(), m.text(), m.time().toString(), m.cmid(), deadline);
    StoreAnswer answer = new StoreAnswer(message, metrics, timeoutMs);
    if (m.to() == null) {
      batcher.submit(request, answer);
      return;
    }
    strangers.admit(m.from(), m.to(), () -> batcher.submit(request, answer),
        () -> message.fail(ErrorCode.RATE_LIMITED.code(), "too many messages to people who have not added you: wait a minute"));
  }

  static StoreMessage.Stored stored(StoreOutcome.Stored s) {
    return new StoreMessage.Stored(s.messageId(), LocalDateTime.parse(s.time()), s.duplicate(),
        s.deliveries().stream().map(d -> new StoreMessage.Target(d.user(), d.seq())).toList());
  }
}
