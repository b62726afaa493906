package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's bus edge: the JSON request read into a StoreRequest, the outcome written back in the shape chat reads. */
class StoreEndpointTest {
  private final FakeTimers timers = new FakeTimers();
  private final FakeWriter writer = new FakeWriter();
  private final StoreEndpoint endpoint = new StoreEndpoint(
      new MessageBatcher(writer, timers, 100, 5_000, new StoreQueue<>(100, Long.MAX_VALUE)), timers);

  /** A bus message that keeps what it was answered. */
  private static final class Request implements Message<JsonObject> {
    final JsonObject body;
    final List<Object> replies = new ArrayList<>();

    Request(JsonObject body) {
      this.body = body;
    }

    @Override
    public String address() {
      return "persistence.message.store";
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public JsonObject body() {
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
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      throw new UnsupportedOperationException();
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

  private Request send(JsonObject body) {
    Request r = new Request(body);
    endpoint.handle(r);
    return r;
  }

  private static JsonObject message(String cmid) {
    return new JsonObject().put("from", 1).put("to", 7).put("text", "hi").put("time", "2026-12-07T12:00:00").put("cmid", cmid);
  }

  @Test
  void aRequestIsReadIntoItsRecordAndAnsweredInTheReplyShape() {
    Request first = send(message("c1").put("deadline", timers.now() + 10_000));
    Request copy = send(message("c1"));
    timers.runLater();
    assertThat(writer.batch(0).entries.get(0).request)
        .isEqualTo(new StoreRequest(1, 7, null, "hi", "2026-12-07T12:00:00", "c1", timers.now() + 10_000));
    writer.store(0);
    assertThat(first.only()).isEqualTo(new JsonObject(
        "{\"messageId\":100,\"time\":\"2026-12-07T12:00:00\",\"duplicate\":false,\"deliveries\":[[7,1]]}"));
    assertThat(copy.only()).isEqualTo(new JsonObject(
        "{\"messageId\":100,\"time\":\"2026-12-07T12:00:00\",\"duplicate\":true,\"deliveries\":[]}"));
  }

  @Test
  void aGroupMessageCarriesItsGroupAndNoRecipient() {
    send(new JsonObject().put("from", 1).put("group", 5).put("text", "hi").put("time", "2026-12-07T12:00:00"));
    timers.runLater();
    assertThat(writer.batch(0).entries.get(0).request)
        .isEqualTo(new StoreRequest(1, null, 5, "hi", "2026-12-07T12:00:00", null, Long.MAX_VALUE));
  }

  @Test
  void aMalformedRequestIsRefusedBeforeItIsQueued() {
    send(message(null).put("cmid", 42)).assertFailed(ErrorCode.BAD_FIELD, "cmid must be a string");
    send(message("ends with space ")).assertFailed(ErrorCode.BAD_FIELD, "cmid must not end with a space");
    send(message(null).put("cmid", 42).put("deadline", timers.now()))
        .assertFailed(ErrorCode.UNAVAILABLE, "deadline passed");
    send(message(null).putNull("from")).assertFailed(ErrorCode.BAD_FIELD, "malformed store request");
    send(message(null).put("to", "seven")).assertFailed(ErrorCode.BAD_FIELD, "malformed store request");
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
}
