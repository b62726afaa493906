package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Every v2 time in the format of docs/protocol.md: ISO-8601 UTC, seconds always written, a Z. */
class V2FramesTest {
  private static final String ISO_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

  @Test
  void aMessageTimeIsUtcWithItsSecondsEvenWhenTheyAreZero() {
    LocalDateTime stored = LocalDateTime.of(2026, 12, 7, 12, 21, 0);
    ChatMessage m = new ChatMessage(1, 2, "alice", 3, null, "hi", stored);
    String time = V2Frames.message(m).getString("time");
    assertThat(time).matches(ISO_UTC);
    assertThat(Instant.parse(time)).isEqualTo(stored.atZone(ZoneId.systemDefault()).toInstant());
  }

  @Test
  void storedTimesAreLocalToTheNodesZoneAndBecomeUtc() {
    LocalDateTime stored = LocalDateTime.of(2026, 12, 7, 20, 14, 27);
    assertThat(V2Frames.time(stored, ZoneId.of("Asia/Shanghai"))).isEqualTo("2026-12-07T12:14:27Z");
    assertThat(V2Frames.time(stored, ZoneId.of("America/New_York"))).isEqualTo("2026-12-08T01:14:27Z");
    assertThat(V2Frames.time(stored, ZoneId.of("UTC"))).isEqualTo("2026-12-07T20:14:27Z");
  }

  @Test
  void instantsDropTheirFractionAndKeepZeroSeconds() {
    assertThat(V2Frames.time(Instant.parse("2026-12-14T12:00:00.987Z"))).isEqualTo("2026-12-14T12:00:00Z");
    assertThat(V2Frames.time(Instant.ofEpochSecond(0))).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void theFirstBytesTellAV2AttemptFromAClassicOne() {
    assertThat(V2Frames.attemptsV2(Buffer.buffer("{\"v\":2,\"id\":\"1\",\"type\":\"hello\",\"x\":[[[[[["))).isTrue();
    assertThat(V2Frames.attemptsV2(Buffer.buffer("{ \"v\" :\n 2 , \"x\":[[[["))).isTrue();
    assertThat(V2Frames.attemptsV2(Buffer.buffer("{\"id\":\"1\",\"type\":\"hello\",\"x\":[[[["))).isTrue();
    assertThat(V2Frames.attemptsV2(Buffer.buffer("{\"x\":1,\"v\":2"))).as("cut off after the 2").isTrue();
    assertThat(V2Frames.attemptsV2(Buffer.buffer("{\"a\":[[[[[[[[["))).isFalse();
    assertThat(V2Frames.attemptsV2(Buffer.buffer("{\"msgid\":6,\"msg\":\"" + "x".repeat(300)))).isFalse();
    assertThat(V2Frames.attemptsV2(Buffer.buffer("{\"v\":20,\"x\":[[["))).isFalse();
    assertThat(V2Frames.attemptsV2(Buffer.buffer("hello there"))).isFalse();
    assertThat(V2Frames.attemptsV2(null)).isFalse();
  }
}
