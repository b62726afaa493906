package chat.protocol.bus;

import io.vertx.core.Future;

/** {@code user} is typing in {@code with}: pushed to whoever may hear it, at most once a second, never stored. */
public record TypingSignal(int user, Peer with) implements ChatRequest<Done> {
  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.typing(this);
  }
}
