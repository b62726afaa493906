package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Strikes without a socket: the last allowed one closes the connection and bans its account (once
 * logged in) or, before a login, its address, briefly, and never an address that stands for many.
 */
class StrikesTest {
  private final AtomicLong clock = new AtomicLong(1);
  private final GatewayOptions options = GatewayOptions.from(new JsonObject().put("strikes", 3).put("banMs", 60_000L)
      .put("addressBanMs", 5_000L).put("loginIpExempt", new JsonArray().add("127.0.0.1"))
      .put("trustedProxies", new JsonArray().add("10.9.9.9")));
  private final ConnectionGuard guard = new ConnectionGuard(options, clock::get);
  private final List<String> closed = new ArrayList<>();

  private Strikes strikes(boolean loggedIn, String ip) {
    return new Strikes(new ConnectionLimits(options, guard, 0), guard.bans(), GatewayMetrics.NONE, ip,
        () -> loggedIn, () -> 7, (code, text) -> closed.add(code + ": " + text));
  }

  private void strikeOut(Strikes s) {
    for (int i = 0; i < 3; i++) {
      s.overLimit("frames");
    }
  }

  private void advanceMs(long ms) {
    clock.addAndGet(ms * 1_000_000L);
  }

  @Test
  void theThirdStrikeClosesWithAnErrorAndBansTheAccountOfALoginNotItsAddress() {
    Strikes s = strikes(true, "10.0.0.1");
    assertThat(s.overLimit("requests")).isFalse();
    assertThat(s.refused(GatewayMetrics.Limit.REQUEST_RATE, "requests")).isFalse();
    assertThat(closed).isEmpty();
    assertThat(s.overLimit("requests")).isTrue();
    assertThat(closed).containsExactly(ErrorCode.BANNED + ": too many requests: this account is banned for 60 s");
    assertThat(guard.bans().accountLeftMs(7)).isEqualTo(60_000);
    assertThat(guard.bans().accountLeftMs(8)).as("another account").isZero();
    assertThat(guard.admit("10.0.0.1")).as("the address of a login is not banned").isEqualTo(ConnectionGuard.Refusal.NONE);
    advanceMs(60_000);
    assertThat(guard.bans().accountLeftMs(7)).as("over after CHAT_BAN_MS").isZero();
  }

  @Test
  void withoutALoginTheAddressIsBannedBriefly() {
    strikeOut(strikes(false, "10.0.0.2"));
    assertThat(closed).containsExactly(ErrorCode.BANNED + ": too many frames: this address is banned for 5 s");
    assertThat(guard.admit("10.0.0.2")).isEqualTo(ConnectionGuard.Refusal.BANNED);
    assertThat(ConnectionGuard.Refusal.BANNED.code).isEqualTo(ErrorCode.BANNED);
    assertThat(guard.admit("10.0.0.3")).as("another address").isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(guard.bans().accountLeftMs(7)).isZero();
    advanceMs(5_001);
    assertThat(guard.admit("10.0.0.2")).as("over after CHAT_ADDRESS_BAN_MS").isEqualTo(ConnectionGuard.Refusal.NONE);
  }

  @Test
  void anExemptAddressOrATrustedProxyIsClosedButNeverBanned() {
    for (String many : List.of("127.0.0.1", "10.9.9.9")) {
      closed.clear();
      strikeOut(strikes(false, many));
      assertThat(closed).as(many).containsExactly(ErrorCode.RATE_LIMITED + ": too many frames");
      assertThat(guard.admit(many)).as(many).isEqualTo(ConnectionGuard.Refusal.NONE);
    }
    strikeOut(strikes(true, "127.0.0.1"));
    assertThat(guard.bans().accountLeftMs(7)).as("an account behind it is banned all the same").isPositive();
  }

  @Test
  void withBansOffTheConnectionStillCloses() {
    GatewayOptions off = GatewayOptions.from(new JsonObject().put("strikes", 1).put("banMs", 0L).put("addressBanMs", 0L));
    ConnectionGuard g = new ConnectionGuard(off, clock::get);
    for (boolean loggedIn : new boolean[] {true, false}) {
      new Strikes(new ConnectionLimits(off, g, 0), g.bans(), GatewayMetrics.NONE, "10.0.0.4", () -> loggedIn, () -> 7,
          (code, text) -> closed.add(code + ": " + text)).overLimit("requests");
    }
    assertThat(closed).containsExactly(ErrorCode.RATE_LIMITED + ": too many requests", ErrorCode.RATE_LIMITED + ": too many requests");
    assertThat(g.bans().accountLeftMs(7)).isZero();
    assertThat(g.admit("10.0.0.4")).isEqualTo(ConnectionGuard.Refusal.NONE);
  }
}
