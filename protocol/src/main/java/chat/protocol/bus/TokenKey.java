package chat.protocol.bus;

import io.vertx.core.Future;

/** The key every node signs tokens with: the stored one, or {@code candidate} if none was stored yet. */
public record TokenKey(String candidate) implements StoreRequest<TokenKey.Key> {
  public record Key(String key) implements StoreReply {
    @Override
    public String toString() {
      return "Key[]";
    }
  }

  @Override
  public Future<Key> handleWith(StoreHandler handler) {
    return handler.tokenKey(this);
  }

  @Override
  public String toString() {
    return "TokenKey[]";
  }
}
