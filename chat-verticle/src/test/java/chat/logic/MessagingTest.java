package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.DeliveryBatch;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Messaging against a stub store: what it passes on, what it answers, whom it delivers to. */
@ExtendWith(VertxExtension.class)
class MessagingTest {
  static final int TO = 2;
  final List<JsonObject> storeRequests = new CopyOnWriteArrayList<>();
  final List<DeliveryBatch> delivered = new CopyOnWriteArrayList<>();
  volatile JsonObject storeReply;
  volatile Runnable onDelivery = () -> {};
  Messaging messaging;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    DeliveryBatch.registerCodec(vertx);
    vertx.eventBus().<JsonObject>consumer(Addresses.DB_MESSAGE_STORE, m -> {
      storeRequests.add(m.body());
      m.reply(storeReply);
    });
    vertx.eventBus().<DeliveryBatch>consumer(Addresses.DELIVER_PREFIX + "gw", m -> {
      delivered.add(m.body());
      onDelivery.run();
    });
    Presence presence = new Presence();
    presence.claim(TO, Addresses.session("gw", 1));
    messaging = new Messaging(new Db(vertx.eventBus()), new Router(presence, vertx.eventBus()));
  }

  JsonObject send(String cmid) {
    JsonObject req = new JsonObject().put("from", 1).put("name", "a").put("to", TO).put("msg", "hi");
    return cmid == null ? req : req.put("cmid", cmid);
  }

  static JsonObject stored(boolean duplicate) {
    return new JsonObject().put("messageId", 42L).put("time", "2026-01-02T03:04:05").put("duplicate", duplicate)
        .put("deliveries", new JsonArray().add(new JsonArray().add(TO).add(7L)));
  }

  @Test
  void aNewMessageIsDeliveredAndAnsweredWithItsIdAndStoredTime(VertxTestContext test) {
    storeReply = stored(false);
    var done = test.checkpoint(2);
    onDelivery = done::flag;
    messaging.one(send("c-1")).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(storeRequests.get(0).getString("cmid")).isEqualTo("c-1");
      assertThat(reply).isEqualTo(new JsonObject().put("messageId", 42L).put("time", "2026-01-02T03:04:05").put("duplicate", false));
      done.flag();
    })));
  }

  @Test
  void aDuplicateIsAnsweredButDeliveredToNobody(VertxTestContext test) {
    storeReply = stored(true);
    messaging.one(send("c-1")).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply.getBoolean("duplicate")).isTrue();
      assertThat(reply.getLong("messageId")).isEqualTo(42L);
      // a delivery would have been sent before the reply; give it time to arrive anyway
      vertx.setTimer(200, t -> test.verify(() -> {
        assertThat(delivered).isEmpty();
        test.completeNow();
      }));
    })));
  }

  @Test
  void withoutACmidTheStoreRequestCarriesNone(VertxTestContext test) {
    storeReply = stored(false);
    messaging.one(send(null)).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(storeRequests.get(0).containsKey("cmid")).isFalse();
      test.completeNow();
    })));
  }
}
