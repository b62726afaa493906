package chat.bench.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameSplitterTest {
  private static final List<String> FRAMES =
      List.of("{\"msgid\":2,\"errno\":0}", "{\"msg\":\"héllo 你好\"}", "{}", "{\"a\":\"" + "x".repeat(300) + "\"}");

  @Test
  void everyChunkSizeGivesTheSameFrames() {
    for (String delimiter : List.of("\0", "\n", "\r\n")) {
      byte[] stream = String.join(delimiter, FRAMES).concat(delimiter).getBytes(StandardCharsets.UTF_8);
      for (int size = 1; size <= stream.length; size++) {
        assertThat(split(stream, size)).as("delimiter %s, chunks of %d", delimiter.replace("\0", "NUL"), size)
            .isEqualTo(FRAMES);
      }
    }
  }

  @Test
  void everySingleCutPointGivesTheSameFrames() {
    byte[] stream = (String.join("\0", FRAMES) + "\0").getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= stream.length; cut++) {
      List<String> out = new ArrayList<>();
      FrameSplitter s = new FrameSplitter(1024, f -> out.add(f.toString(StandardCharsets.UTF_8)));
      s.feed(Buffer.buffer().appendBytes(stream, 0, cut));
      s.feed(Buffer.buffer().appendBytes(stream, cut, stream.length - cut));
      assertThat(out).as("cut at %d", cut).isEqualTo(FRAMES);
      assertThat(s.pendingBytes()).isZero();
    }
  }

  @Test
  void emptyFramesBetweenDelimitersAreSkipped() {
    List<String> out = new ArrayList<>();
    FrameSplitter s = new FrameSplitter(1024, f -> out.add(f.toString()));
    s.feed(Buffer.buffer("\0\0{}\n\n{\"a\":1}\0"));
    assertThat(out).containsExactly("{}", "{\"a\":1}");
  }

  @Test
  void anUnfinishedFrameIsKeptUntilItsDelimiter() {
    List<String> out = new ArrayList<>();
    FrameSplitter s = new FrameSplitter(1024, f -> out.add(f.toString()));
    s.feed(Buffer.buffer("{\"a\":"));
    assertThat(out).isEmpty();
    assertThat(s.pendingBytes()).isEqualTo(5);
    s.feed(Buffer.buffer("1}\0{"));
    assertThat(out).containsExactly("{\"a\":1}");
    assertThat(s.pendingBytes()).isEqualTo(1);
  }

  @Test
  void pendingBytesAreBounded() {
    FrameSplitter s = new FrameSplitter(16, f -> {});
    s.feed(Buffer.buffer("0123456789"));
    assertThatThrownBy(() -> s.feed(Buffer.buffer("0123456789")))
        .isInstanceOf(FrameSplitter.FrameTooLargeException.class);
  }

  @Test
  void aCompleteFrameOverTheLimitIsRefused() {
    FrameSplitter s = new FrameSplitter(4, f -> {});
    assertThatThrownBy(() -> s.feed(Buffer.buffer("0123456789\0")))
        .isInstanceOf(FrameSplitter.FrameTooLargeException.class);
  }

  private static List<String> split(byte[] stream, int size) {
    List<String> out = new ArrayList<>();
    FrameSplitter s = new FrameSplitter(1024, f -> out.add(f.toString(StandardCharsets.UTF_8).replace("\r", "")));
    for (int i = 0; i < stream.length; i += size) {
      s.feed(Buffer.buffer().appendBytes(stream, i, Math.min(size, stream.length - i)));
    }
    return out;
  }
}
