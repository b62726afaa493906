package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class DeliveryBatchTest {
  @Test
  void survivesTheWireAsClusteredEventBusesSendIt() {
    DeliveryBatch batch = new DeliveryBatch("{\"msg\":\"你好 😀\",\"msgid\":6}",
        new String[] {"gateway.session.n1-ab.1", "gateway.session.n1-ab.22"}, new long[] {7, 9_000_000_000L});
    DeliveryBatch.Codec codec = new DeliveryBatch.Codec();
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, batch);

    DeliveryBatch back = codec.decodeFromWire("prefix".length(), wire);

    assertThat(back.frame()).isEqualTo(batch.frame());
    assertThat(back.sessions()).containsExactly(batch.sessions());
    assertThat(back.seqs()).containsExactly(batch.seqs());
    assertThat(codec.transform(batch)).isSameAs(batch);
  }
}
