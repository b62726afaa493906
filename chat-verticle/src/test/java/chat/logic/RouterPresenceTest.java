package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.PresenceChange;
import chat.protocol.bus.Push;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the router tells the presence listener, and the batched notices, on one node without Redis. */
@ExtendWith(VertxExtension.class)
class RouterPresenceTest {
  @Test
  void onlyWonClaimsAndReleasesOfTheHoldingLoginAreTold(Vertx vertx, VertxTestContext ctx) {
    Router router = new Router(new Presence(), vertx.eventBus());
    List<String> told = new ArrayList<>();
    router.onPresence((user, online) -> told.add(user + (online ? "+" : "-")));
    String first = Addresses.session("gw", 1);
    String second = Addresses.session("gw", 2);
    router.claim(7, first)
        .compose(won -> router.claim(7, second))
        .onComplete(ctx.succeeding(lost -> ctx.verify(() -> {
          assertThat(lost).isFalse();
          router.release(7, second); // a late close of a login that never held the account
          router.release(7, first);
          router.release(7, first);
          assertThat(told).containsExactly("7+", "7-");
          ctx.completeNow();
        })));
  }

  @Test
  void notifyAllReachesOnlineUsersAndSkipsOfflineOnes(Vertx vertx, VertxTestContext ctx) {
    Presence presence = new Presence();
    presence.claim(2, Addresses.session("gw", 2));
    presence.claim(3, Addresses.session("gw", 3));
    List<Notice> got = new CopyOnWriteArrayList<>();
    BusCodec.register(vertx);
    vertx.eventBus().<Push>consumer(Addresses.NOTIFY_PREFIX + "gw", m -> {
      got.add(new Notice(m.headers().get(Addresses.SESSION_HEADER), m.body()));
      if (got.size() == 2) {
        vertx.setTimer(100, id -> ctx.verify(() -> {
          assertThat(got).hasSize(2);
          assertThat(got).extracting(Notice::session).containsExactlyInAnyOrder(Addresses.session("gw", 2), Addresses.session("gw", 3));
          assertThat(got.get(0).push()).isEqualTo(new PresenceChange(9, true));
          ctx.completeNow();
        }));
      }
    }).completion().onComplete(ctx.succeeding(v ->
        new Router(presence, vertx.eventBus()).notifyAll(List.of(1, 2, 3, 4), new PresenceChange(9, true))));
  }
}
