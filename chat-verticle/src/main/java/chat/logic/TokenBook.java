package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
      Future<Tokens> loading = db.call(Addresses.DB_TOKEN_KEY, new JsonObject().put("candidate", candidate))
          .map(r -> new Tokens(Base64.getDecoder().decode(r.getString("key")), ttlMs, clock));
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

  /** A new token for {@code user}: {token, expires (ISO-8601)}. */
  Future<JsonObject> issue(int user) {
    return tokens().compose(t -> {
      Tokens.Claims c = t.mint(user);
      return db.call(Addresses.DB_TOKEN_ADD, new JsonObject().put("tokenId", c.tokenId()).put("user", user).put("expires", c.expires()))
          .map(v -> render(t.sign(c), c));
    });
  }

  /**
   * {name, token, expires} when {@code token} is {@code user}'s, signed, unexpired and not
   * revoked; BAD_CREDENTIALS otherwise. No bcrypt: a MAC and one primary-key read.
   */
  Future<JsonObject> check(String token, int user) {
    return tokens().compose(t -> {
      Tokens.Claims c = t.verify(token);
      if (c == null || c.user() != user) {
        return Replies.refuse(ErrorCode.BAD_CREDENTIALS, "token is invalid or expired");
      }
      return db.call(Addresses.DB_TOKEN_CHECK, new JsonObject().put("tokenId", c.tokenId()).put("user", user))
          .map(row -> render(token, c).put("name", row.getString("name")));
    });
  }

  /** Revokes one token; one that no longer verifies (expired, not ours) has nothing to revoke. */
  Future<JsonObject> revoke(String token) {
    return tokens().compose(t -> {
      Tokens.Claims c = t.verify(token);
      return c == null
          ? Future.succeededFuture(new JsonObject())
          : db.call(Addresses.DB_TOKEN_REVOKE, new JsonObject().put("tokenId", c.tokenId()).put("user", c.user()));
    });
  }

  /** Deletes a batch of rows of expired tokens: they verify as expired anyway. */
  Future<JsonObject> sweep() {
    return db.call(Addresses.DB_TOKEN_SWEEP, new JsonObject().put("now", clock.getAsLong()));
  }

  private static JsonObject render(String token, Tokens.Claims c) {
    return new JsonObject().put("token", token).put("expires", Instant.ofEpochMilli(c.expires()).toString());
  }
}
