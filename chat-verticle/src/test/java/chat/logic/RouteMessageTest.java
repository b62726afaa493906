package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.DeliveryBatch;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.RouteMessage;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What chat does with the recipients a sender's gateway did not hold: one batch per gateway that holds them. */
@ExtendWith(VertxExtension.class)
class RouteMessageTest {
  final List<DeliveryBatch> atOne = new CopyOnWriteArrayList<>();
  final List<DeliveryBatch> atTwo = new CopyOnWriteArrayList<>();
  ChatRequests chat;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    DeliveryBatch.registerCodec(vertx);
    BusCodec.register(vertx);
    vertx.eventBus().<DeliveryBatch>consumer(Addresses.DELIVER_PREFIX + "gw1", m -> atOne.add(m.body()));
    vertx.eventBus().<DeliveryBatch>consumer(Addresses.DELIVER_PREFIX + "gw2", m -> atTwo.add(m.body()));
    Presence presence = new Presence();
    presence.claim(2, Addresses.session("gw1", 1));
    presence.claim(3, Addresses.session("gw2", 1));
    presence.claim(4, Addresses.session("gw2", 2));
    chat = new ChatRequests(null, new Router(presence, vertx.eventBus()), null, null, null, null, null, null);
  }

  @Test
  void eachOnlineRecipientGetsItsSeqInOneBatchPerGatewayAndTheOfflineNone(VertxTestContext test) {
    ChatMessage m = new ChatMessage(42, 1, "a", null, 9, "hi", LocalDateTime.parse("2026-01-02T03:04:05"));
    List<StoreMessage.Target> targets = List.of(new StoreMessage.Target(2, 7), new StoreMessage.Target(3, 8),
        new StoreMessage.Target(4, 9), new StoreMessage.Target(5, 10));
    new RouteMessage(m, targets).handleWith(chat).onComplete(test.succeeding(done -> vertx.setTimer(100, t -> test.verify(() -> {
      assertThat(atOne).singleElement().satisfies(b -> {
        assertThat(b.sessions()).containsExactly(Addresses.session("gw1", 1));
        assertThat(b.seqs()).containsExactly(7L);
        assertThat(b.message()).isEqualTo(m);
      });
      assertThat(atTwo).singleElement().satisfies(b -> {
        assertThat(b.sessions()).containsExactlyInAnyOrder(Addresses.session("gw2", 1), Addresses.session("gw2", 2));
        assertThat(b.seqs()).containsExactlyInAnyOrder(8L, 9L);
      });
      test.completeNow();
    }))));
  }
}
