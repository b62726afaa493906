package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * The revocation record of a resume token: ADD when it is issued (with its expiry, epoch ms),
 * REVOKE at logout, CHECK at a token login (BAD_CREDENTIALS when revoked or unknown; the reply
 * names the user). The signature is checked by chat; only the token's id travels.
 */
public record TokenRow(Kind kind, String tokenId, int user, long expires) implements StoreRequest<TokenRow.Result> {
  public enum Kind { ADD, REVOKE, CHECK }

  /** The user's name for CHECK, null otherwise. */
  public record Result(String name) implements StoreReply {}

  @Override
  public Future<Result> handleWith(StoreHandler handler) {
    return handler.tokenRow(this);
  }
}
