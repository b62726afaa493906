package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatMetricsTest {
  @Test
  void theLagIsTheArrivalLessThePublishTimeAndNeverNegative() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    long[] now = {10_000};
    ChatMetrics metrics = new ChatMetrics(registry, () -> now[0]);
    metrics.arrived(9_970);
    metrics.arrived(10_050); // the sender's clock is ahead of ours
    metrics.arrived(0); // a node that sends no time
    var lag = registry.get("chat.pubsub.lag").timer();
    assertThat(lag.count()).isEqualTo(2);
    assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);
    assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(30);
  }
}
