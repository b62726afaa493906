package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class DeliveryBatchTest {
  @Test
  void survivesTheWireAsClusteredEventBusesSendIt() {
    ChatMessage message = new ChatMessage(12, 7, "alice", null, 3, "你好 😀", java.time.LocalDateTime.of(2026, 11, 25, 23, 41, 7));
    DeliveryBatch batch = new DeliveryBatch(message,
        new String[] {"gateway.session.n1-ab.1", "gateway.session.n1-ab.22"}, new long[] {7, 9_000_000_000L});
    DeliveryBatch.Codec codec = new DeliveryBatch.Codec();
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, batch);

    DeliveryBatch back = codec.decodeFromWire("prefix".length(), wire);

    assertThat(back.message()).isEqualTo(message);
    assertThat(ClassicFrames.chat(back.message()))
        .isEqualTo("{\"groupid\":3,\"id\":7,\"msg\":\"你好 😀\",\"msgid\":10,\"name\":\"alice\",\"time\":\"2026-11-25 23:41:07\"}");
    assertThat(back.sessions()).containsExactly(batch.sessions());
    assertThat(back.seqs()).containsExactly(batch.seqs());
    assertThat(codec.transform(batch)).isSameAs(batch);
  }
}
