package chat.logic;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * bcrypt hashing, always on a worker thread: one hash costs tens of milliseconds by design and
 * would stall every connection of an event loop. Passwords over 72 bytes are pre-hashed with
 * SHA-512 instead of being silently cut.
 */
final class Passwords {
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;

  private final Vertx vertx;
  private final int cost;
  private final String dummyHash;

  Passwords(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
    this.dummyHash = hashNow("timing-equaliser");
  }

  Future<String> hash(String password) {
    return vertx.executeBlocking(() -> hashNow(password), false);
  }

  /** A null hash (unknown user) still costs one verification, so timing does not tell. */
  Future<Boolean> verify(String password, String hash) {
    return vertx.executeBlocking(
        () -> {
          boolean ok =
              BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION))
                  .verify(password.toCharArray(), hash == null ? dummyHash : hash)
                  .verified;
          return ok && hash != null;
        },
        false);
  }

  private String hashNow(String password) {
    return BCrypt.with(LongPasswordStrategies.hashSha512(VERSION))
        .hashToString(cost, password.toCharArray());
  }
}
