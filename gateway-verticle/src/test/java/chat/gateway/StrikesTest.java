package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Strikes without a socket: the last allowed one closes the connection and bans its account or address. */
class StrikesTest {
  private final AtomicLong clock = new AtomicLong(1);
  private final GatewayOptions options = GatewayOptions.from(new JsonObject().put("strikes", 3).put("banMs", 60_000L));
  private final ConnectionGuard guard = new ConnectionGuard(options, clock::get);
  private final List<String> closed = new ArrayList<>();

  private Strikes strikes(boolean loggedIn, String ip) {
    return new Strikes(new ConnectionLimits(options, guard, 0), guard, GatewayMetrics.NONE, options.banMs(), ip,
        () -> loggedIn, () -> 7, (code, text) -> closed.add(code + ": " + text));
  }

  @Test
  void theThirdStrikeClosesWithAnErrorAndBansTheAccountOfALogin() {
    Strikes s = strikes(true, "10.0.0.1");
    assertThat(s.overLimit("requests")).isFalse();
    assertThat(s.refused(GatewayMetrics.Limit.REQUEST_RATE, "requests")).isFalse();
    assertThat(closed).isEmpty();
    assertThat(s.overLimit("requests")).isTrue();
    assertThat(closed).containsExactly(ErrorCode.RATE_LIMITED + ": too many requests: banned for 60 s");
    assertThat(guard.accountBanned(7)).isTrue();
    assertThat(guard.admit("10.0.0.1")).as("the address of a login is not banned").isEqualTo(ConnectionGuard.Refusal.NONE);
  }

  @Test
  void withoutALoginTheAddressIsBanned() {
    Strikes s = strikes(false, "10.0.0.2");
    for (int i = 0; i < 3; i++) {
      s.overLimit("frames");
    }
    assertThat(closed).hasSize(1);
    assertThat(guard.admit("10.0.0.2")).isEqualTo(ConnectionGuard.Refusal.BANNED);
    assertThat(guard.accountBanned(7)).isFalse();
  }
}
