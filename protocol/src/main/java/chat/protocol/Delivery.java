package chat.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * A message for one recipient: its position in the recipient's sequence and the frame to write.
 * Immutable, so local event-bus delivery passes it without copying.
 */
public record Delivery(long seq, String frame) {

  /** Registers the codec once per Vert.x instance; later calls are no-ops. */
  public static void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(Delivery.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this instance did it first
    }
  }

  static final class Codec implements MessageCodec<Delivery, Delivery> {
    @Override
    public void encodeToWire(Buffer buffer, Delivery d) {
      byte[] frame = d.frame.getBytes(StandardCharsets.UTF_8);
      buffer.appendLong(d.seq).appendInt(frame.length).appendBytes(frame);
    }

    @Override
    public Delivery decodeFromWire(int pos, Buffer buffer) {
      long seq = buffer.getLong(pos);
      int len = buffer.getInt(pos + 8);
      return new Delivery(seq, buffer.getString(pos + 12, pos + 12 + len, "UTF-8"));
    }

    @Override
    public Delivery transform(Delivery d) {
      return d;
    }

    @Override
    public String name() {
      return "chat.delivery";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
