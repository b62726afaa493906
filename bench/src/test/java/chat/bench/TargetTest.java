package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.bench.net.Target;
import org.junit.jupiter.api.Test;

class TargetTest {
  @Test
  void loopbackIsAccepted() {
    assertThat(Target.parse("127.0.0.1:6100")).isEqualTo(new Target("127.0.0.1", 6100));
    assertThat(Target.parse("127.3.2.1:6100").host()).isEqualTo("127.3.2.1");
  }

  @Test
  void otherHostsAreRefused() {
    assertThatThrownBy(() -> Target.parse("10.0.0.1:6100")).hasMessageContaining("127.0.0.0/8");
    assertThatThrownBy(() -> Target.parse("8.8.8.8:53")).hasMessageContaining("127.0.0.0/8");
    assertThatThrownBy(() -> Target.parse("6100")).hasMessageContaining("host:port");
  }
}
