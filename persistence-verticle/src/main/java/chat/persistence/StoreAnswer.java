package chat.persistence;

import chat.protocol.bus.StoreMessage;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.function.Consumer;

/**
 * How one {@link StoreMessage} is answered on the bus: its outcome as a {@link StoreMessage.Reply}
 * or a failure with its code. After {@link StoreMessage.Unknown} the sender's gateway replies
 * {@link StoreMessage.AwaitLate}; the batch's late outcome, whichever of the two comes first,
 * answers that: the {@link StoreMessage.Stored} to deliver, or a failure (nothing to deliver).
 */
final class StoreAnswer implements Consumer<StoreOutcome> {
  private final Message<StoreMessage> message;
  private final StoreMetrics metrics;
  private final long timeoutMs;
  private boolean toldUnknown;
  private Message<Object> await;
  private StoreOutcome late;

  StoreAnswer(Message<StoreMessage> message, StoreMetrics metrics, long timeoutMs) {
    this.message = message;
    this.metrics = metrics;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void accept(StoreOutcome outcome) {
    if (toldUnknown) {
      late = outcome;
      answerLate();
    } else if (outcome instanceof StoreOutcome.Stored s) {
      counted(s);
      message.reply(StoreEndpoint.stored(s));
    } else if (outcome instanceof StoreOutcome.Failed f) {
      metrics.notStored(f.code());
      message.fail(f.code().code(), f.message());
    } else if (outcome instanceof StoreOutcome.Unknown) {
      toldUnknown = true;
      metrics.notStored(chat.protocol.ErrorCode.OUTCOME_UNKNOWN);
      // the gateway answers at once if it wants the late outcome: a short wait for that
      message.<Object>replyAndRequest(new StoreMessage.Unknown(timeoutMs), new DeliveryOptions().setSendTimeout(timeoutMs))
          .onSuccess(asked -> {
            await = asked;
            answerLate();
          });
    }
  }

  private void answerLate() {
    if (await == null || late == null) {
      return;
    }
    if (late instanceof StoreOutcome.Stored s) {
      counted(s);
      await.reply(StoreEndpoint.stored(s));
    } else if (late instanceof StoreOutcome.Failed f) {
      await.fail(f.code().code(), f.message());
    }
    await = null;
  }

  private void counted(StoreOutcome.Stored s) {
    if (!s.duplicate()) {
      metrics.stored(message.body().group() != null);
    }
  }
}
