package chat.protocol.bus;

import chat.protocol.ChatMessage;
import io.vertx.core.Future;
import java.util.List;

/**
 * A stored message for the recipients its sender's gateway does not hold: chat finds each one's
 * session (on another gateway of this node, or on another node) and pushes it under its seq.
 * Sent, not requested: a push that goes astray loses nothing, since the message is in each
 * recipient's inbox and their gateway catches up.
 */
public record RouteMessage(ChatMessage message, List<StoreMessage.Target> targets) implements ChatRequest<Done> {
  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.route(this);
  }
}
