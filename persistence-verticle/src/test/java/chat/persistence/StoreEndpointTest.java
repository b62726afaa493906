package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import chat.protocol.bus.StoreMessage;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's bus edge: the JSON request read into a Submission, the outcome written back in the shape chat reads. */
class StoreEndpointTest {
  private final FakeTimers timers = new FakeTimers();
  private final FakeWriter writer = new FakeWriter();
  /** Nobody is anyone's friend here, and the quota of messages to strangers is large. */
  private final StoreEndpoint endpoint = new StoreEndpoint(
      new MessageBatcher(writer, timers, 100, 5_000, new StoreQueue<>(100, Long.MAX_VALUE)), timers,
      new StrangerGate(new SenderQuota(1000, 60_000, 100, timers::now), pairs -> Future.succeededFuture(java.util.Set.of()), timers), StoreMetrics.NONE, 5_000);

  /** A bus message that keeps what it was answered. */
  private static final class Request implements Message<StoreMessage> {
    final StoreMessage body;
    final List<Object> replies = new ArrayList<>();
    /** What a reply sent with replyAndRequest is answered: the sender's reply to it. */
    final io.vertx.core.Promise<Message<Object>> replied = io.vertx.core.Promise.promise();

    Request(StoreMessage body) {
      this.body = body;
    }

    @Override
    public String address() {
      return "store.message";
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public StoreMessage body() {
      return body;
    }

    @Override
    public String replyAddress() {
      return "reply";
    }

    @Override
    public boolean isSend() {
      return true;
    }

    @Override
    public void reply(Object message, DeliveryOptions options) {
      replies.add(message);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      replies.add(message);
      return (Future<Message<R>>) (Future<?>) replied.future();
    }

    Object only() {
      assertThat(replies).hasSize(1);
      return replies.get(0);
    }

    void assertFailed(ErrorCode code, String message) {
      assertThat(only()).isInstanceOfSatisfying(ReplyException.class, e -> {
        assertThat(e.failureCode()).isEqualTo(code.code());
        assertThat(e.getMessage()).isEqualTo(message);
      });
    }
  }

  private Request send(StoreMessage body) {
    Request r = new Request(body);
    endpoint.handle(r);
    return r;
  }

  private static final LocalDateTime NOON = LocalDateTime.parse("2026-12-07T12:00:00");

  private static StoreMessage message(String cmid) {
    return message(cmid, Long.MAX_VALUE);
  }

  private static StoreMessage message(String cmid, long deadline) {
    return new StoreMessage(1, 7, null, "hi", NOON, cmid, deadline);
  }

  @Test
  void aRequestIsReadIntoItsRecordAndAnsweredInTheReplyShape() {
    Request first = send(message("c1", timers.now() + 10_000));
    Request copy = send(message("c1"));
    timers.runLater();
    assertThat(writer.batch(0).entries.get(0).request).as("the deadline is the store's timeout at most")
        .isEqualTo(new Submission(1, 7, null, "hi", "2026-12-07T12:00", "c1", timers.now() + 5_000));
    writer.store(0);
    assertThat(first.only()).isEqualTo(new StoreMessage.Stored(100, NOON, false, List.of(new StoreMessage.Target(7, 1))));
    assertThat(copy.only()).isEqualTo(new StoreMessage.Stored(100, NOON, true, List.of()));
  }

  @Test
  void aGroupMessageCarriesItsGroupAndNoRecipient() {
    send(new StoreMessage(1, null, 5, "hi", NOON, null, Long.MAX_VALUE));
    timers.runLater();
    assertThat(writer.batch(0).entries.get(0).request)
        .isEqualTo(new Submission(1, null, 5, "hi", "2026-12-07T12:00", null, timers.now() + 5_000));
  }

  @Test
  void aMalformedRequestIsRefusedBeforeItIsQueued() {
    send(message("ends with space ")).assertFailed(ErrorCode.BAD_FIELD, "cmid must not end with a space");
    send(message("ends with space ", timers.now())).assertFailed(ErrorCode.UNAVAILABLE, "deadline passed");
    send(new StoreMessage(1, 7, 5, "hi", NOON, null, Long.MAX_VALUE)).assertFailed(ErrorCode.BAD_FIELD, "malformed store request");
    send(new StoreMessage(1, 7, null, null, NOON, null, Long.MAX_VALUE)).assertFailed(ErrorCode.BAD_FIELD, "malformed store request");
    timers.runLater();
    assertThat(writer.written()).isZero();
  }

  @Test
  void aFailureIsAnsweredWithItsCode() {
    Request r = send(message(null));
    timers.runLater();
    writer.fail(0, "database gone");
    r.assertFailed(ErrorCode.UNAVAILABLE, "store failed");
  }

  @Test
  void anUnknownOutcomeIsATypedReplyAndTheLateCommitAnswersTheSendersAwait() {
    Request r = send(message("c1"));
    timers.runLater();
    writer.committing(0);
    timers.advance(5_000);
    assertThat(r.only()).isEqualTo(new StoreMessage.Unknown(5_000));
    writer.store(0); // before the sender's await arrives: kept for it
    Request await = new Request(message("c1"));
    r.replied.complete((Message<Object>) (Message<?>) await);
    assertThat(await.only()).isEqualTo(new StoreMessage.Stored(100, NOON, false, List.of(new StoreMessage.Target(7, 1))));
  }

  @Test
  void aLateFailureFailsTheAwait() {
    Request r = send(message("c1"));
    timers.runLater();
    writer.committing(0);
    timers.advance(5_000);
    Request await = new Request(message("c1"));
    r.replied.complete((Message<Object>) (Message<?>) await);
    assertThat(await.replies).isEmpty();
    writer.fail(0, "rolled back");
    await.assertFailed(ErrorCode.UNAVAILABLE, "store failed");
  }
}
