package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A WebSocket message is limited over all its fragments, not frame by frame. */
class MessageSizeTest {
  @Test
  void fragmentsArePassedUntilTheirTotalPassesTheLimit() {
    MessageSize size = new MessageSize(1000);
    assertThat(size.frame(false, false, 400)).isTrue();
    assertThat(size.frame(true, false, 400)).isTrue();
    assertThat(size.frame(true, false, 200)).as("exactly the limit").isTrue();
    assertThat(size.frame(true, false, 1)).isFalse();
  }

  @Test
  void eachMessageStartsAfresh() {
    MessageSize size = new MessageSize(1000);
    assertThat(size.frame(false, false, 600)).isTrue();
    assertThat(size.frame(true, true, 400)).isTrue();
    assertThat(size.frame(false, true, 1000)).isTrue();
    assertThat(size.frame(false, false, 999)).isTrue();
    assertThat(size.frame(true, true, 1)).isTrue();
    assertThat(size.frame(false, true, 1001)).as("one frame alone").isFalse();
  }
}
