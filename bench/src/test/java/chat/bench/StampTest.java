package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bench.util.Stamp;
import org.junit.jupiter.api.Test;

class StampTest {
  @Test
  void roundTrips() {
    assertThat(Stamp.parse(Stamp.text(-5, 3, 123456789L, 42))).isEqualTo(new Stamp.Parsed(-5, 3, 123456789L, 42));
  }

  @Test
  void foreignTextIsNotOurs() {
    assertThat(Stamp.parse("hello")).isNull();
    assertThat(Stamp.parse("b:x:1:2:3")).isNull();
    assertThat(Stamp.parse(null)).isNull();
  }
}
