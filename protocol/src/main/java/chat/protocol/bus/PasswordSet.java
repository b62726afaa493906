package chat.protocol.bus;

import io.vertx.core.Future;

/** The new hash and the revocation of every token of the user, committed together. */
public record PasswordSet(int user, String hash) implements StoreRequest<Done> {
  @Override
  public Future<Done> handleWith(StoreHandler handler) {
    return handler.passwordSet(this);
  }

  /** Never the hash. */
  @Override
  public String toString() {
    return "PasswordSet[user=" + user + "]";
  }
}
