package chat.protocol.bus;

import io.vertx.core.Future;

/** A new account with its bcrypt hash; NAME_TAKEN when the name is taken. */
public record UserCreate(String name, String hash) implements StoreRequest<UserCreate.Created> {
  public record Created(int id) implements StoreReply {}

  @Override
  public Future<Created> handleWith(StoreHandler handler) {
    return handler.userCreate(this);
  }

  /** Never the hash. */
  @Override
  public String toString() {
    return "UserCreate[]";
  }
}
