package chat.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * One stored message for several sessions of one gateway: {@code sessions[i]} gets it as number
 * {@code seqs[i]} of its user's sequence. One event-bus message per gateway, not per recipient,
 * is what makes group fan-out cheap. Immutable by convention, so local delivery does not copy it.
 */
public record DeliveryBatch(ChatMessage message, String[] sessions, long[] seqs) {

  /** Registers the codec once per Vert.x instance; later calls are no-ops. */
  public static void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(DeliveryBatch.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this instance did it first
    }
  }

  static final class Codec implements MessageCodec<DeliveryBatch, DeliveryBatch> {
    @Override
    public void encodeToWire(Buffer buffer, DeliveryBatch b) {
      putString(buffer, b.message.toJson().encode());
      buffer.appendInt(b.sessions.length);
      for (int i = 0; i < b.sessions.length; i++) {
        putString(buffer, b.sessions[i]);
        buffer.appendLong(b.seqs[i]);
      }
    }

    @Override
    public DeliveryBatch decodeFromWire(int pos, Buffer buffer) {
      int[] at = {pos};
      ChatMessage message = ChatMessage.fromJson(new io.vertx.core.json.JsonObject(getString(buffer, at)));
      int n = buffer.getInt(at[0]);
      at[0] += 4;
      String[] sessions = new String[n];
      long[] seqs = new long[n];
      for (int i = 0; i < n; i++) {
        sessions[i] = getString(buffer, at);
        seqs[i] = buffer.getLong(at[0]);
        at[0] += 8;
      }
      return new DeliveryBatch(message, sessions, seqs);
    }

    private static void putString(Buffer buffer, String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(bytes.length).appendBytes(bytes);
    }

    private static String getString(Buffer buffer, int[] at) {
      int len = buffer.getInt(at[0]);
      String s = buffer.getString(at[0] + 4, at[0] + 4 + len, "UTF-8");
      at[0] += 4 + len;
      return s;
    }

    @Override
    public DeliveryBatch transform(DeliveryBatch b) {
      return b;
    }

    @Override
    public String name() {
      return "chat.delivery-batch";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
