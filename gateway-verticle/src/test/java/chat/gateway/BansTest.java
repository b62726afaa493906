package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The ban tables: per account and per address, each for its own time, bounded, swept, and never an address that stands for many. */
class BansTest {
  private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative

  private Bans bans(JsonObject options) {
    return new Bans(GatewayOptions.from(options.put("banMs", 60_000L).put("addressBanMs", 2_000L)), now::get);
  }

  private void advanceMs(long ms) {
    now.addAndGet(ms * 1_000_000L);
  }

  @Test
  void accountsAndAddressesEachHaveTheirOwnTime() {
    Bans b = bans(new JsonObject());
    assertThat(b.banAccount(7)).isTrue();
    assertThat(b.banAddress("203.0.113.5")).isTrue();
    advanceMs(1_500);
    assertThat(b.accountLeftMs(7)).isEqualTo(58_500);
    assertThat(b.addressLeftMs("203.0.113.5")).isEqualTo(500);
    advanceMs(500);
    assertThat(b.addressLeftMs("203.0.113.5")).isZero();
    assertThat(b.accountLeftMs(7)).isPositive();
    b.sweep();
    assertThat(b.size()).as("the ended address ban is forgotten").isEqualTo(1);
    advanceMs(58_000);
    assertThat(b.accountLeftMs(7)).isZero();
    b.sweep();
    assertThat(b.size()).isZero();
  }

  @Test
  void theDefaultExemptionIsLoopbackAndTrustedProxiesAreNeverBanned() {
    Bans b = bans(new JsonObject());
    assertThat(b.banAddress("127.0.0.1")).isFalse();
    assertThat(b.banAddress("0:0:0:0:0:0:0:1")).isFalse();
    assertThat(b.banAddress("127.0.0.2")).as("only the listed addresses").isTrue();
    Bans proxied = bans(new JsonObject().put("loginIpExempt", new JsonArray()).put("trustedProxies", new JsonArray().add("10.1.1.1")));
    assertThat(proxied.banAddress("10.1.1.1")).isFalse();
    assertThat(proxied.banAddress("127.0.0.1")).as("not exempt once the list leaves it out").isTrue();
    assertThat(proxied.addressLeftMs("10.1.1.1")).isZero();
  }

  @Test
  void anIpv6AddressIsBannedWithItsSlash64() {
    Bans b = bans(new JsonObject());
    assertThat(b.banAddress("2001:db8:1:2::1")).isTrue();
    assertThat(b.addressLeftMs("2001:db8:1:2:ffff::9")).as("a new address of the same /64 costs nothing").isPositive();
    assertThat(b.addressLeftMs("2001:db8:1:3::1")).isZero();
  }

  @Test
  void theTablesAreBoundedButABannedKeyIsExtended() {
    Bans b = bans(new JsonObject().put("maxTrackedAddresses", 2));
    assertThat(b.banAccount(1)).isTrue();
    assertThat(b.banAccount(2)).isTrue();
    assertThat(b.banAccount(3)).as("full: the connection still closes, the ban is not remembered").isFalse();
    assertThat(b.accountLeftMs(3)).isZero();
    advanceMs(30_000);
    assertThat(b.banAccount(1)).as("a key already held is renewed").isTrue();
    assertThat(b.accountLeftMs(1)).isEqualTo(60_000);
  }
}
