package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.Delivery;
import chat.protocol.DeliveryBatch;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.Peer;
import chat.protocol.bus.RouteMessage;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hot path against a stub store and a stub chat: what is stored, who gets it here, what chat is asked to route. */
@ExtendWith(VertxExtension.class)
class MessageSendTest {
  static final LocalDateTime STORED_AT = LocalDateTime.parse("2026-01-02T03:04:05");
  static final int HERE = 2, ELSEWHERE = 3, ALSO_HERE = 4, ON_SIBLING = 5, ALSO_ON_SIBLING = 6;

  final List<StoreMessage> stores = new CopyOnWriteArrayList<>();
  final List<RouteMessage> routed = new CopyOnWriteArrayList<>();
  final List<DeliveryBatch> atSibling = new CopyOnWriteArrayList<>();
  final Map<Integer, List<Delivery>> received = new HashMap<>();
  volatile StoreMessage.Stored storeReply;
  volatile ErrorCode storeRefusal;
  /** The store answers Unknown, then this to the gateway's AwaitLate (null: fails it, nothing stored). */
  volatile boolean unknown;
  volatile StoreMessage.Stored late;
  MessageSend send;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    BusCodec.register(vertx);
    DeliveryBatch.registerCodec(vertx);
    vertx.eventBus().<StoreMessage>consumer(Addresses.STORE_MESSAGE, m -> {
      stores.add(m.body());
      if (storeRefusal != null) {
        m.fail(storeRefusal.code(), "refused");
      } else if (unknown) {
        m.replyAndRequest(new StoreMessage.Unknown(2_000)).onSuccess(await -> vertx.setTimer(50, t -> {
          if (late != null) {
            await.reply(late);
          } else {
            await.fail(ErrorCode.UNAVAILABLE.code(), "store failed");
          }
        }));
      } else {
        m.reply(storeReply);
      }
    });
    vertx.eventBus().<RouteMessage>consumer(Addresses.CHAT, m -> routed.add(m.body()));
    received.put(HERE, new CopyOnWriteArrayList<>());
    received.put(ALSO_HERE, new CopyOnWriteArrayList<>());
    vertx.eventBus().<DeliveryBatch>consumer(Addresses.DELIVER_PREFIX + "sibling", m -> atSibling.add(m.body()));
    send = new MessageSend(vertx.eventBus(), new MessageSend.Recipients() {
      @Override
      public Consumer<Delivery> here(int user) {
        List<Delivery> inbox = received.get(user);
        return inbox == null ? null : inbox::add;
      }

      @Override
      public String inThisJvm(int user) {
        return user == ON_SIBLING || user == ALSO_ON_SIBLING ? Addresses.session("sibling", user) : null;
      }
    }, GatewayMetrics.NONE);
  }

  static StoreMessage.Stored stored(boolean duplicate, StoreMessage.Target... targets) {
    return new StoreMessage.Stored(42L, STORED_AT, duplicate, List.of(targets));
  }

  @Test
  void aRecipientHereGetsItFromTheSendersGatewayAndChatIsNotAsked(VertxTestContext test) {
    storeReply = stored(false, new StoreMessage.Target(HERE, 7L));
    send.send(1, "a", Peer.user(HERE), "hi", "c-1").onComplete(test.succeeding(reply -> test.verify(() -> {
      assertThat(reply.messageId()).isEqualTo(42L);
      assertThat(stores).singleElement().satisfies(s -> {
        assertThat(s.to()).isEqualTo(HERE);
        assertThat(s.group()).isNull();
        assertThat(s.cmid()).isEqualTo("c-1");
        assertThat(s.deadline()).isGreaterThan(System.currentTimeMillis());
      });
      assertThat(received.get(HERE)).singleElement().satisfies(d -> {
        assertThat(d.seq()).isEqualTo(7L);
        assertThat(d.message().id()).isEqualTo(42L);
        assertThat(d.message().fromName()).isEqualTo("a");
        assertThat(d.message().text()).isEqualTo("hi");
      });
      vertx.setTimer(100, t -> test.verify(() -> {
        assertThat(routed).isEmpty();
        test.completeNow();
      }));
    })));
  }

  @Test
  void chatRoutesOnlyTheRecipientsThisGatewayDoesNotHold(VertxTestContext test) {
    storeReply = stored(false, new StoreMessage.Target(HERE, 7L), new StoreMessage.Target(ELSEWHERE, 3L),
        new StoreMessage.Target(ALSO_HERE, 9L));
    send.send(1, "a", Peer.group(5), "to all", null).onComplete(test.succeeding(reply -> vertx.setTimer(100, t -> test.verify(() -> {
      assertThat(stores.get(0).group()).isEqualTo(5);
      assertThat(stores.get(0).to()).isNull();
      assertThat(received.get(HERE)).extracting(Delivery::seq).containsExactly(7L);
      assertThat(received.get(ALSO_HERE)).extracting(Delivery::seq).containsExactly(9L);
      assertThat(routed).singleElement().satisfies(r -> {
        assertThat(r.targets()).containsExactly(new StoreMessage.Target(ELSEWHERE, 3L));
        assertThat(r.message().id()).isEqualTo(42L);
        assertThat(r.message().group()).isEqualTo(5);
      });
      test.completeNow();
    }))));
  }

  @Test
  void recipientsOnASiblingGatewayGetOneBatchThereAndChatIsNotAsked(VertxTestContext test) {
    storeReply = stored(false, new StoreMessage.Target(ON_SIBLING, 4L), new StoreMessage.Target(HERE, 7L),
        new StoreMessage.Target(ALSO_ON_SIBLING, 5L));
    send.send(1, "a", Peer.group(5), "to all", null).onComplete(test.succeeding(reply -> vertx.setTimer(100, t -> test.verify(() -> {
      assertThat(received.get(HERE)).extracting(Delivery::seq).containsExactly(7L);
      assertThat(atSibling).singleElement().satisfies(b -> {
        assertThat(b.sessions()).containsExactly(Addresses.session("sibling", ON_SIBLING), Addresses.session("sibling", ALSO_ON_SIBLING));
        assertThat(b.seqs()).containsExactly(4L, 5L);
        assertThat(b.message().id()).isEqualTo(42L);
      });
      assertThat(routed).isEmpty();
      test.completeNow();
    }))));
  }

  @Test
  void aDuplicateIsAnsweredButDeliveredToNobody(VertxTestContext test) {
    storeReply = stored(true);
    send.send(1, "a", Peer.user(ELSEWHERE), "hi", "c-1").onComplete(test.succeeding(reply -> vertx.setTimer(100, t -> test.verify(() -> {
      assertThat(reply.duplicate()).isTrue();
      assertThat(received.get(HERE)).isEmpty();
      assertThat(routed).isEmpty();
      test.completeNow();
    }))));
  }

  @Test
  void aRefusalKeepsItsCodeAndNothingIsDelivered(VertxTestContext test) {
    storeRefusal = ErrorCode.FORBIDDEN;
    send.send(1, "a", Peer.group(5), "hi", null).onComplete(test.failing(e -> vertx.setTimer(100, t -> test.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(received.get(HERE)).isEmpty();
      assertThat(routed).isEmpty();
      test.completeNow();
    }))));
  }

  @Test
  void anUnknownOutcomeFailsWithItsOwnCodeAndALateCommitIsStillDelivered(VertxTestContext test) {
    unknown = true;
    late = stored(false, new StoreMessage.Target(HERE, 7L), new StoreMessage.Target(ELSEWHERE, 3L));
    send.send(1, "a", Peer.user(HERE), "hi", "c-1").onComplete(test.failing(e -> test.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
      assertThat(received.get(HERE)).as("not before the commit lands").isEmpty();
      vertx.setTimer(200, t -> test.verify(() -> {
        assertThat(received.get(HERE)).extracting(Delivery::seq).containsExactly(7L);
        assertThat(routed).singleElement().satisfies(r -> assertThat(r.targets()).containsExactly(new StoreMessage.Target(ELSEWHERE, 3L)));
        test.completeNow();
      }));
    })));
  }

  @Test
  void anUnknownOutcomeThatNeverCommitsDeliversNothing(VertxTestContext test) {
    unknown = true;
    send.send(1, "a", Peer.user(HERE), "hi", "c-1").onComplete(test.failing(e -> vertx.setTimer(200, t -> test.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
      assertThat(received.get(HERE)).isEmpty();
      assertThat(routed).isEmpty();
      test.completeNow();
    }))));
  }
}
