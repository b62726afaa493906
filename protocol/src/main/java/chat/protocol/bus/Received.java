package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a v2 recipient's ack newly covered: per sender, the last 1:1 message id it now has. Sent,
 * not requested: receipts are at most once and nothing waits for them.
 */
public record Received(int by, List<Covered> receipts) implements ChatRequest<Done> {
  public record Covered(int sender, long messageId) {}

  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.delivered(this);
  }
}
