package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GatewayMetrics metrics = new GatewayMetrics(registry);

  @Test
  void aStampIsFoundByItsIdUntilALaterMessageTakesItsSlot() {
    SendStamps stamps = new SendStamps(8);
    stamps.put(3, 1000);
    assertThat(stamps.get(3)).isEqualTo(1000);
    assertThat(stamps.get(4)).isZero();
    stamps.put(11, 2000); // 11 & 7 == 3
    assertThat(stamps.get(3)).as("overwritten: no sample rather than a wrong one").isZero();
    assertThat(stamps.get(11)).isEqualTo(2000);
    assertThatThrownBy(() -> new SendStamps(12)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void connectionsAreCountedByProtocolWhileOpen() {
    metrics.opened(false);
    metrics.opened(true);
    metrics.opened(true);
    metrics.closed(true);
    assertThat(registry.get("chat.connections").tag("protocol", "classic").gauge().value()).isEqualTo(1);
    assertThat(registry.get("chat.connections").tag("protocol", "v2").gauge().value()).isEqualTo(1);
  }

  @Test
  void onlyALiveDeliveryOfAStampedMessageIsTimedButEveryOneIsCounted() {
    metrics.sent(42, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(5));
    metrics.delivering(42, true);
    metrics.delivering(42, false); // backlog: waited for its reader
    metrics.delivering(43, true); // sent on another node: no stamp here
    metrics.loggedIn(3); // a login reply with three messages
    assertThat(registry.get("chat.messages.delivered").counter().count()).isEqualTo(6);
    assertThat(registry.get("chat.logins").counter().count()).isEqualTo(1);
    var timer = registry.get("chat.send.to.deliver").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(5);
  }

  @Test
  void refusalsAreCountedByTheLimitThatRefused() {
    metrics.refused(ConnectionGuard.Refusal.ADDRESS_FULL);
    metrics.refused(ConnectionGuard.Refusal.NONE);
    metrics.loginRefused(ErrorCode.RATE_LIMITED);
    metrics.loginRefused(ErrorCode.FORBIDDEN); // a wrong password is no limit
    metrics.refused(GatewayMetrics.Limit.MESSAGE_RATE);
    assertThat(registry.get("chat.limit.refusals").tag("limit", "connections_address").counter().count()).isEqualTo(1);
    assertThat(registry.get("chat.limit.refusals").tag("limit", "login_rate").counter().count()).isEqualTo(1);
    assertThat(registry.get("chat.limit.refusals").tag("limit", "message_rate").counter().count()).isEqualTo(1);
    assertThat(registry.find("chat.limit.refusals").counters().stream().mapToDouble(c -> c.count()).sum()).isEqualTo(3);
  }
}
