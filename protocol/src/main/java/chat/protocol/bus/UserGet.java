package chat.protocol.bus;

import io.vertx.core.Future;

/** An account by id, with its hash for the password check; NOT_FOUND for an unknown id. */
public record UserGet(int id) implements StoreRequest<UserGet.Account> {
  public record Account(int id, String name, String hash) implements StoreReply {
    /** Never the hash. */
    @Override
    public String toString() {
      return "Account[id=" + id + "]";
    }
  }

  @Override
  public Future<Account> handleWith(StoreHandler handler) {
    return handler.userGet(this);
  }
}
