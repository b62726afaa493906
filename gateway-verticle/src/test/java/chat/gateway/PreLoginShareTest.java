package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The share of connections without a login: per address (per /64 for IPv6), in all, and the eviction's choice. */
class PreLoginShareTest {
  @Test
  void oneAddressHoldsItsCapAndAllTogetherTheShare() {
    PreLoginShare share = new PreLoginShare(2, 3);
    assertThat(share.enter("10.0.0.1")).isEqualTo(PreLoginShare.Result.ENTERED);
    assertThat(share.enter("10.0.0.1")).isEqualTo(PreLoginShare.Result.ENTERED);
    assertThat(share.enter("10.0.0.1")).isEqualTo(PreLoginShare.Result.ADDRESS_FULL);
    assertThat(share.enter("10.0.0.2")).isEqualTo(PreLoginShare.Result.ENTERED);
    assertThat(share.enter("10.0.0.3")).isEqualTo(PreLoginShare.Result.SHARE_FULL);
    assertThat(share.total()).isEqualTo(3);
    share.leave("10.0.0.1");
    assertThat(share.enter("10.0.0.3")).isEqualTo(PreLoginShare.Result.ENTERED);
    share.leave("10.0.0.1");
    share.leave("10.0.0.2");
    share.leave("10.0.0.3");
    assertThat(share.total()).isZero();
    assertThat(share.addresses()).as("no entry for an address without such connections").isZero();
  }

  @Test
  void anIpv6SubscriberIsItsSlash64() {
    assertThat(PreLoginShare.key("2001:db8:1:2:aaaa::1")).isEqualTo(PreLoginShare.key("2001:db8:1:2:ffff:1:2:3"));
    assertThat(PreLoginShare.key("2001:db8:1:2::1")).isNotEqualTo(PreLoginShare.key("2001:db8:1:3::1"));
    assertThat(PreLoginShare.key("203.0.113.9")).isEqualTo("203.0.113.9");
    PreLoginShare share = new PreLoginShare(1, 100);
    assertThat(share.enter("2001:db8:1:2::1")).isEqualTo(PreLoginShare.Result.ENTERED);
    assertThat(share.enter("2001:db8:1:2::2")).as("a new address of the same /64 costs nothing").isEqualTo(PreLoginShare.Result.ADDRESS_FULL);
  }

  @Test
  void aLogoutCountsAgainAndASlotIsGivenBackOnce() {
    PreLoginShare share = new PreLoginShare(1, 1);
    assertThat(share.enter("a")).isEqualTo(PreLoginShare.Result.ENTERED);
    PreLoginSlot slot = new PreLoginSlot(share, "a");
    assertThat(slot.giveBack()).isTrue();
    assertThat(slot.giveBack()).as("login, then close").isFalse();
    assertThat(share.total()).isZero();
    slot.takeAgain();
    assertThat(share.total()).isEqualTo(1);
    assertThat(slot.giveBack()).isTrue();
    assertThat(share.total()).isZero();
  }

  @Test
  void aFullShareWithNoneToEvictRefusesAndTheNodeSaysSo() {
    ConnectionGuard guard = new ConnectionGuard(GatewayOptions.from(new io.vertx.core.json.JsonObject().put("maxPreLogin", 1)),
        System::nanoTime);
    Admission admission = new Admission(guard, new Sessions(marks -> io.vertx.core.Future.succeededFuture(), (ms, action) -> { },
        null, GatewayMetrics.NONE));
    assertThat(admission.admit("10.0.0.1")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(guard.refusing()).isNull();
    assertThat(admission.admit("10.0.0.2")).as("no connection of this gateway to evict").isEqualTo(ConnectionGuard.Refusal.NODE_FULL);
    assertThat(guard.refusing()).contains("without a login");
    assertThat(guard.connections()).as("the refused one is not counted").isEqualTo(1);
    guard.preLogin().leave("10.0.0.1"); // it logged in
    assertThat(guard.refusing()).isNull();
    assertThat(admission.admit("10.0.0.2")).isEqualTo(ConnectionGuard.Refusal.NONE);
  }

  @Test
  void theOldestIdleCandidateIsEvictedFirst() {
    Map<String, Long> idleSince = Map.of("new", 300L, "old", 100L, "loggingIn", Long.MAX_VALUE, "middle", 200L);
    assertThat(Admission.oldest(List.of("new", "loggingIn", "old", "middle"), idleSince::get)).isEqualTo("old");
    assertThat(Admission.oldest(List.of("loggingIn"), idleSince::get)).isNull();
    assertThat(Admission.oldest(List.of("a"), a -> -5L)).as("nanoTime may be negative").isEqualTo("a");
  }
}
