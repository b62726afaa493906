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
 * OVERLOADED and UNAVAILABLE (see {@link MessageBatcher}).
 */
final class StoreEndpoint {
  private final MessageBatcher batcher;
  private final Timers timers;
  private final StrangerGate strangers;
  private final StoreMetrics metrics;

  StoreEndpoint(MessageBatcher batcher, Timers timers, StrangerGate strangers, StoreMetrics metrics) {
    this.batcher = batcher;
    this.timers = timers;
    this.strangers = strangers;
    this.metrics = metrics;
  }

  void handle(Message<StoreMessage> message) {
    StoreMessage m = message.body();
    String badCmid = ClientIds.problem(m.cmid());
    if (badCmid != null) {
      // a request past its deadline has always been told so first, malformed cmid or not
      boolean late = m.deadline() <= timers.now();
      message.fail(late ? ErrorCode.UNAVAILABLE.code() : ErrorCode.BAD_FIELD.code(), late ? "deadline passed" : badCmid);
      return;
    }
    if (m.text() == null || m.time() == null || (m.to() == null) == (m.group() == null)) {
      message.fail(ErrorCode.BAD_FIELD.code(), "malformed store request");
      return;
    }
    // the time is stored and echoed as text: LocalDateTime's own form, which MariaDB reads
    Submission request = new Submission(m.from(), m.to(), m.group(), m.text(), m.time().toString(), m.cmid(), m.deadline());
    if (m.to() == null) {
      batcher.submit(request, outcome -> reply(message, outcome));
      return;
    }
    strangers.admit(m.from(), m.to(), () -> batcher.submit(request, outcome -> reply(message, outcome)),
        () -> message.fail(ErrorCode.RATE_LIMITED.code(), "too many messages to people who have not added you: wait a minute"));
  }

  private void reply(Message<StoreMessage> message, StoreOutcome outcome) {
    if (outcome instanceof StoreOutcome.Stored s) {
      if (!s.duplicate()) {
        metrics.stored(message.body().group() != null);
      }
      message.reply(stored(s));
    } else if (outcome instanceof StoreOutcome.Failed f) {
      metrics.notStored(f.code());
      message.fail(f.code().code(), f.message());
    }
  }

  static StoreMessage.Stored stored(StoreOutcome.Stored s) {
    return new StoreMessage.Stored(s.messageId(), LocalDateTime.parse(s.time()), s.duplicate(),
        s.deliveries().stream().map(d -> new StoreMessage.Target(d.user(), d.seq())).toList());
  }
}
