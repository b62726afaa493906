package chat.logic;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Done;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.TokenKey;
import chat.protocol.bus.TokenRow;
import chat.protocol.bus.TokenSweep;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Base64;
import java.util.function.LongSupplier;

/**
 * Issues, checks and revokes resume tokens: the signature and expiry here, revocation in the
 * database. The key is CHAT_TOKEN_KEY, or the one stored in the database, fetched on first use
 * rather than at start so chat does not depend on persistence being up first (roles may be split).
 * Use from the chat event loop only.
 */
final class TokenBook {
  private final Db db;
  private final byte[] configuredKey;
  private final long ttlMs;
  private final LongSupplier clock;
  private Future<Tokens> tokens;

  /** configuredKey null: use (or create) the database's key. */
  TokenBook(Db db, byte[] configuredKey, long ttlMs, LongSupplier clock) {
    this.db = db;
    this.configuredKey = configuredKey;
    this.ttlMs = ttlMs;
    this.clock = clock;
    if (configuredKey != null) {
      tokens = Future.succeededFuture(new Tokens(configuredKey, ttlMs, clock));
    }
  }

  private Future<Tokens> tokens() {
    if (tokens == null) {
      String candidate = Base64.getEncoder().encodeToString(Tokens.newKey());
      Future<Tokens> loading = db.ask(new TokenKey(candidate))
          .map(r -> new Tokens(Base64.getDecoder().decode(r.key()), ttlMs, clock));
      tokens = loading;
      // a database that was down must not leave every later login without a key
      loading.onFailure(e -> {
        if (tokens == loading) {
          tokens = null;
        }
      });
    }
    return tokens;
  }

  /** A token and when it expires (an Instant's text). */
  record Checked(String name, String token, String expires) {
    /** Never the token. */
    @Override
    public String toString() {
      return "Checked[name=" + name + "]";
    }
  }

  /** A new token for {@code user}. */
  Future<PasswordChange.Issued> issue(int user) {
    return tokens().compose(t -> {
      Tokens.Claims c = t.mint(user);
      return db.ask(new TokenRow(TokenRow.Kind.ADD, c.tokenId(), user, c.expires()))
          .map(v -> new PasswordChange.Issued(t.sign(c), expiry(c)));
    });
  }

  /**
   * The user's name when {@code token} is {@code user}'s, signed, unexpired and not revoked;
   * BAD_CREDENTIALS otherwise. No bcrypt: a MAC and one primary-key read.
   */
  Future<Checked> check(String token, int user) {
    return tokens().compose(t -> {
      Tokens.Claims c = t.verify(token);
      if (c == null || c.user() != user) {
        return Replies.refuse(ErrorCode.BAD_CREDENTIALS, "token is invalid or expired");
      }
      return db.ask(new TokenRow(TokenRow.Kind.CHECK, c.tokenId(), user, 0))
          .map(row -> new Checked(row.name(), token, expiry(c)));
    });
  }

  /** Revokes one token; one that no longer verifies (expired, not ours) has nothing to revoke. */
  Future<Done> revoke(String token) {
    return tokens().compose(t -> {
      Tokens.Claims c = t.verify(token);
      return c == null
          ? Future.succeededFuture(Done.DONE)
          : db.ask(new TokenRow(TokenRow.Kind.REVOKE, c.tokenId(), c.user(), 0)).map(r -> Done.DONE);
    });
  }

  /** Deletes a batch of rows of expired tokens: they verify as expired anyway. */
  Future<TokenSweep.Swept> sweep() {
    return db.ask(new TokenSweep(clock.getAsLong()));
  }

  private static String expiry(Tokens.Claims c) {
    return Instant.ofEpochMilli(c.expires()).toString();
  }
}
