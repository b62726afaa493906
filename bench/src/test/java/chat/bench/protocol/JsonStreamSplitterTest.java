package chat.bench.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonStreamSplitterTest {

  @Test
  void splitsUndelimitedAndDelimitedObjectsAtAnyChunkSize() {
    // the classic C++ server: no delimiter; braces, quotes and escapes inside strings
    String stream = "{\"a\":\"}{\\\"x\\\\\"}{\"b\":[1,{\"c\":2}]}\0\n{\"d\":\"你好\"}not json\0{}";
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= bytes.length; size++) {
      List<String> frames = new ArrayList<>();
      JsonStreamSplitter s = new JsonStreamSplitter(1024, f -> frames.add(f.toString(StandardCharsets.UTF_8)));
      for (int i = 0; i < bytes.length; i += size) {
        s.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(size, bytes.length - i)));
      }
      assertThat(frames).as("chunks of %d", size).containsExactly(
          "{\"a\":\"}{\\\"x\\\\\"}", "{\"b\":[1,{\"c\":2}]}", "{\"d\":\"你好\"}", "not json", "{}");
      assertThat(s.pendingBytes()).isZero();
    }
  }

  @Test
  void keepsAnUnfinishedObjectButNeverMoreThanTheBound() {
    List<Buffer> frames = new ArrayList<>();
    JsonStreamSplitter s = new JsonStreamSplitter(8, frames::add);
    s.feed(Buffer.buffer("{\"a\":"));
    assertThat(frames).isEmpty();
    assertThat(s.pendingBytes()).isEqualTo(5);
    assertThatThrownBy(() -> s.feed(Buffer.buffer("\"long\"")))
        .isInstanceOf(FrameSplitter.FrameTooLargeException.class);
  }
}
