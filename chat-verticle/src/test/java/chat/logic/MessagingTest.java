package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.Peer;
import chat.protocol.bus.SendMessage;
import chat.protocol.bus.StoreMessage;
import java.time.LocalDateTime;
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
  final List<StoreMessage> storeRequests = new CopyOnWriteArrayList<>();
  final List<DeliveryBatch> delivered = new CopyOnWriteArrayList<>();
  volatile StoreMessage.Stored storeReply;
  volatile Runnable onDelivery = () -> {};
  Messaging messaging;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    DeliveryBatch.registerCodec(vertx);
    BusCodec.register(vertx);
    vertx.eventBus().<StoreMessage>consumer(Addresses.STORE_MESSAGE, m -> {
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

  static final LocalDateTime STORED_AT = LocalDateTime.parse("2026-01-02T03:04:05");

  SendMessage send(String cmid) {
    return new SendMessage(1, "a", Peer.user(TO), "hi", cmid);
  }

  static StoreMessage.Stored stored(boolean duplicate) {
    return new StoreMessage.Stored(42L, STORED_AT, duplicate, List.of(new StoreMessage.Target(TO, 7L)));
  }

  @Test
  void aNewMessageIsDeliveredAndAnsweredWithItsIdAndStoredTime(VertxTestContext test) {
    storeReply = stored(false);
    var done = test.checkpoint(2);
    onDelivery = done::flag;
    messaging.send(send("c-1")).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(storeRequests.get(0).cmid()).isEqualTo("c-1");
      assertThat(reply).isEqualTo(new SendMessage.Sent(42L, STORED_AT, false));
      done.flag();
    })));
  }

  @Test
  void aDuplicateIsAnsweredButDeliveredToNobody(VertxTestContext test) {
    storeReply = stored(true);
    messaging.send(send("c-1")).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply.duplicate()).isTrue();
      assertThat(reply.messageId()).isEqualTo(42L);
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
    messaging.send(send(null)).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(storeRequests.get(0).cmid()).isNull();
      test.completeNow();
    })));
  }
}
