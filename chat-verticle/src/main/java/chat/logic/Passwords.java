package chat.logic;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.vertx.core.Future;

/**
 * bcrypt hashing, always on a worker thread: one hash costs tens of milliseconds by design and
 * would stall every connection of an event loop. Passwords over 72 bytes are pre-hashed with
 * SHA-512 instead of being silently cut. Each hash goes through the {@link HashQueue}, which skips
 * it when its client has stopped waiting.
 */
final class Passwords {
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;

  private final HashQueue queue;
  private final int cost;
  private final String dummyHash;

  Passwords(HashQueue queue, int cost) {
    this.queue = queue;
    this.cost = cost;
    this.dummyHash = hashNow("timing-equaliser");
  }

  Future<String> hash(String password, long deadline) {
    return queue.blocking(deadline, () -> hashNow(password));
  }

  /** A null hash (unknown user) still costs one verification, so timing does not tell. */
  Future<Boolean> verify(String password, String hash, long deadline) {
    return queue.blocking(
        deadline,
        () -> {
          boolean ok =
              BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION))
                  .verify(password.toCharArray(), hash == null ? dummyHash : hash)
                  .verified;
          return ok && hash != null;
        });
  }

  private String hashNow(String password) {
    return BCrypt.with(LongPasswordStrategies.hashSha512(VERSION))
        .hashToString(cost, password.toCharArray());
  }
}
