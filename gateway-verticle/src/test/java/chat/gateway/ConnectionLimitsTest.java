package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong();

  private ConnectionLimits limits(JsonObject o) {
    GatewayOptions options = GatewayOptions.from(o);
    return new ConnectionLimits(options, new ConnectionGuard(options, clock::get), 0);
  }

  @Test
  void aConnectionWithoutALoginTimesOutUnlessOneIsUnderWay() {
    ConnectionLimits l = limits(new JsonObject().put("loginTimeoutMs", 1000L).put("idleTimeoutMs", 5000L));
    assertThat(l.timedOut(900 * MS, false, false)).isNull();
    assertThat(l.timedOut(1001 * MS, false, false)).isEqualTo("idle for 1000 ms without a login");
    assertThat(l.timedOut(1001 * MS, false, true)).as("chat is checking the login").isNull();
    assertThat(l.timedOut(1001 * MS, true, false)).as("logged in: the idle timeout").isNull();
    assertThat(l.timedOut(5001 * MS, true, false)).isEqualTo("idle for 5000 ms");
    l.frameArrived(5000 * MS);
    assertThat(l.timedOut(5500 * MS, true, false)).as("a frame is activity").isNull();
  }

  @Test
  void aFrameLeftUnfinishedTimesOut() {
    ConnectionLimits l = limits(new JsonObject().put("frameTimeoutMs", 200L));
    assertThat(l.buffered(10, 100 * MS)).isTrue();
    assertThat(l.buffered(20, 250 * MS)).isTrue();
    assertThat(l.timedOut(299 * MS, true, false)).as("timed from the frame's first bytes").isNull();
    assertThat(l.timedOut(301 * MS, true, false)).isEqualTo("frame not finished in 200 ms");
    l.frameArrived(302 * MS);
    assertThat(l.timedOut(1000 * MS, true, false)).isNull();
  }

  @Test
  void strikesCloseOnlyPastTheLimitAndTheRequestRateRefills() {
    ConnectionLimits l = limits(new JsonObject().put("strikes", 3).put("frameRate", 1.0).put("frameBurst", 2));
    assertThat(l.strike()).isFalse();
    assertThat(l.strike()).isFalse();
    assertThat(l.strike()).isTrue();
    assertThat(l.takeFrame(0)).isTrue();
    assertThat(l.takeFrame(0)).isTrue();
    assertThat(l.takeFrame(0)).isFalse();
    assertThat(l.takeFrame(1000 * MS)).isTrue();
  }

  @Test
  void bigUnfinishedFramesGoWhenTheNodeHoldsTooManyAndTheirBytesAreGivenBack() {
    JsonObject o = new JsonObject().put("nodeInboundBytes", (long) Outbound.NODE_SHARE_BYTES);
    GatewayOptions options = GatewayOptions.from(o);
    ConnectionGuard guard = new ConnectionGuard(options, clock::get);
    ConnectionLimits big = new ConnectionLimits(options, guard, 0);
    ConnectionLimits small = new ConnectionLimits(options, guard, 0);
    assertThat(big.buffered(Outbound.NODE_SHARE_BYTES, 0)).as("at the node's budget").isTrue();
    assertThat(small.buffered(100, 0)).as("a small frame split across reads stays").isTrue();
    assertThat(big.buffered(Outbound.NODE_SHARE_BYTES + 1, 0)).as("over it, a big one goes").isFalse();
    big.release();
    small.release();
    ConnectionLimits next = new ConnectionLimits(options, guard, 0);
    assertThat(next.buffered(Outbound.NODE_SHARE_BYTES, 0)).as("released bytes are free again").isTrue();
  }
}
