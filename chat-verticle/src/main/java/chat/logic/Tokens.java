package chat.logic;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Resume tokens: {@code user.tokenId.expires.signature}, HMAC-SHA256 over the first three parts.
 * Checking one costs a MAC, not a bcrypt, so it is fine on the event loop; whether it was revoked
 * is the database's to say ({@link TokenBook}). Never log a token: it is a password for its lifetime.
 */
final class Tokens {
  static final int MIN_KEY_BYTES = 32;
  /** Generous for four short fields; anything longer is refused before any parsing. */
  static final int MAX_TOKEN_CHARS = 200;
  private static final String ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** What a valid token says. */
  record Claims(int user, String tokenId, long expires) {}

  private final SecretKeySpec key;
  private final long ttlMs;
  private final LongSupplier clock;

  Tokens(byte[] key, long ttlMs, LongSupplier clock) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("a token key needs at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    this.ttlMs = ttlMs;
    this.clock = clock;
  }

  static byte[] newKey() {
    byte[] k = new byte[MIN_KEY_BYTES];
    RANDOM.nextBytes(k);
    return k;
  }

  /** Fresh claims for a login now: a random id (the revocation key) and the configured lifetime. */
  Claims mint(int user) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return new Claims(user, B64.encodeToString(id), clock.getAsLong() + ttlMs);
  }

  String sign(Claims c) {
    String body = c.user() + "." + c.tokenId() + "." + c.expires();
    return body + "." + B64.encodeToString(mac(body));
  }

  /** The claims of a well-formed, correctly signed, unexpired token; null for anything else. */
  Claims verify(String token) {
    if (token == null || token.length() > MAX_TOKEN_CHARS) {
      return null;
    }
    int sig = token.lastIndexOf('.');
    if (sig < 0) {
      return null;
    }
    byte[] expected = mac(token.substring(0, sig));
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(token.substring(sig + 1));
    } catch (IllegalArgumentException e) {
      return null;
    }
    // constant time, so the time of a refusal does not tell how much of a forged MAC was right
    if (!MessageDigest.isEqual(expected, given)) {
      return null;
    }
    String[] parts = token.substring(0, sig).split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      Claims c = new Claims(Integer.parseInt(parts[0]), parts[1], Long.parseLong(parts[2]));
      return c.expires() > clock.getAsLong() ? c : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private byte[] mac(String body) {
    try {
      // one Mac per call: cheap next to a login, and no state shared between event loops or tests
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
