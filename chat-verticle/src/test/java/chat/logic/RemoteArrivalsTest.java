package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.DeliveryBatch;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.NodeLink;
import chat.protocol.bus.PresenceChange;
import chat.protocol.bus.RemoteDelivery;
import chat.protocol.bus.RemoteNotice;
import io.vertx.core.Vertx;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a node does with the text another node published to it: the same steps as ClusterLink's. */
class RemoteArrivalsTest {
  private static final ChatMessage MESSAGE =
      new ChatMessage(12, 7, "alice", null, 3, "hello", LocalDateTime.of(2026, 11, 25, 23, 41, 0));

  private Vertx vertx;
  private RemoteArrivals arrivals;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    DeliveryBatch.registerCodec(vertx);
    BusCodec.register(vertx);
    arrivals = new RemoteArrivals(vertx.eventBus());
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private void arrive(NodeLink payload) {
    arrivals.accept(BusCodec.fromJson(BusCodec.toJson(payload), NodeLink.class));
  }

  @Test
  void aMessageGoesToEachGatewayOnceForItsSessionsUnderTheirSeqs() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch both = new CountDownLatch(2);
    for (String gateway : List.of("gw1", "gw2")) {
      vertx.eventBus().<DeliveryBatch>consumer(Addresses.DELIVER_PREFIX + gateway, m -> {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < m.body().sessions().length; i++) {
          targets.add(m.body().sessions()[i] + "@" + m.body().seqs()[i]);
        }
        seen.add(gateway + " " + m.body().message().id() + " " + m.body().message().text() + " " + targets);
        both.countDown();
      });
    }
    arrive(new RemoteDelivery(MESSAGE, List.of(new RemoteDelivery.Target(Addresses.session("gw1", 1), 5),
        new RemoteDelivery.Target(Addresses.session("gw2", 4), 9), new RemoteDelivery.Target(Addresses.session("gw1", 2), 6)), 0L));
    assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactlyInAnyOrder(
        "gw1 12 hello [gateway.session.gw1.1@5, gateway.session.gw1.2@6]", "gw2 12 hello [gateway.session.gw2.4@9]");
  }

  @Test
  void aPushGoesToEveryLoginItNames() throws Exception {
    List<Notice> seen = new CopyOnWriteArrayList<>();
    CountDownLatch both = new CountDownLatch(2);
    Notice.listen(vertx, notice -> {
      seen.add(notice);
      both.countDown();
    });
    PresenceChange push = new PresenceChange(4, true);
    arrive(new RemoteNotice(push, List.of(Addresses.session("gw1", 1), Addresses.session("gw1", 3)), 0L));
    assertThat(both.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactlyInAnyOrder(
        new Notice(Addresses.session("gw1", 1), push), new Notice(Addresses.session("gw1", 3), push));
  }
}
