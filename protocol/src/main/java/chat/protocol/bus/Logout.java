package chat.protocol.bus;

import io.vertx.core.Future;

/** Revokes the resume token a connection logged in with or was given. */
public record Logout(String token) implements ChatRequest<Done> {
  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.logout(this);
  }

  /** Never the token. */
  @Override
  public String toString() {
    return "Logout[]";
  }
}
