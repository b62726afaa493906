package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatermarkTest {
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  private final Watermark watermark = new Watermark();

  @Test
  void aClassicLoginsWatermarkIsWhatWasWrittenAndIsHandedOverOncePerMove() {
    assertThat(watermark.value()).as("before any login").isZero();
    watermark.start(delivered::get, queued::get, false);
    assertThat(watermark.take()).as("nothing written yet").isEqualTo(-1);
    delivered.set(3);
    assertThat(watermark.take()).isEqualTo(3);
    assertThat(watermark.take()).as("unchanged").isEqualTo(-1);
    assertThat(watermark.ack(10)).as("classic clients do not acknowledge").isFalse();
    delivered.set(5);
    assertThat(watermark.value()).isEqualTo(5);
  }

  @Test
  void aV2AckMovesItButNeverPastWhatWasSent() {
    watermark.start(delivered::get, queued::get, true);
    queued.set(4);
    delivered.set(4);
    assertThat(watermark.value()).as("written is not acknowledged").isZero();
    assertThat(watermark.ack(9)).isTrue();
    assertThat(watermark.acked()).as("capped at what was sent").isEqualTo(4);
    assertThat(watermark.ack(2)).as("never back").isFalse();
    assertThat(watermark.take()).isEqualTo(4);
    queued.set(6);
    assertThat(watermark.ack(6)).isTrue();
    assertThat(watermark.take()).isEqualTo(6);
  }

  @Test
  void aFailedSaveHandsTheWatermarkOverAgainAndANewLoginStartsUnacknowledged() {
    watermark.start(delivered::get, queued::get, true);
    queued.set(7);
    watermark.ack(7);
    assertThat(watermark.take()).isEqualTo(7);
    watermark.unreport();
    assertThat(watermark.take()).as("again after a failed save").isEqualTo(7);
    watermark.start(delivered::get, queued::get, true);
    assertThat(watermark.acked()).isZero();
    assertThat(watermark.value()).isZero();
  }
}
