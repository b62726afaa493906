package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Signing and checking resume tokens, with a clock the test moves. */
class TokensTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final byte[] key = Tokens.newKey();
  final Tokens tokens = new Tokens(key, 60_000, now::get);

  @Test
  void aSignedTokenVerifiesToItsClaims() {
    Tokens.Claims c = tokens.mint(42);
    assertThat(c.expires()).isEqualTo(1_060_000);
    assertThat(c.tokenId()).hasSize(22).doesNotContain(".");
    String token = tokens.sign(c);
    assertThat(token.length()).isLessThanOrEqualTo(Tokens.MAX_TOKEN_CHARS);
    assertThat(tokens.verify(token)).isEqualTo(c);
    assertThat(tokens.mint(42).tokenId()).as("ids are random").isNotEqualTo(c.tokenId());
  }

  @Test
  void expiresAtItsTime() {
    String token = tokens.sign(tokens.mint(1));
    now.set(1_059_999);
    assertThat(tokens.verify(token)).isNotNull();
    now.set(1_060_000);
    assertThat(tokens.verify(token)).isNull();
  }

  @Test
  void anyChangeToAnyPartIsRefused() {
    String token = tokens.sign(tokens.mint(7));
    String[] p = token.split("\\.");
    assertThat(tokens.verify("8." + p[1] + "." + p[2] + "." + p[3])).as("another user").isNull();
    assertThat(tokens.verify(p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 1) + "." + p[3])).as("longer life").isNull();
    char last = p[3].charAt(0);
    String flipped = (last == 'A' ? 'B' : 'A') + p[3].substring(1);
    assertThat(tokens.verify(p[0] + "." + p[1] + "." + p[2] + "." + flipped)).as("signature").isNull();
    assertThat(tokens.verify(p[0] + "." + p[1] + "." + p[2])).as("no signature").isNull();
    assertThat(tokens.verify(token + "x")).isNull();
    assertThat(tokens.verify("")).isNull();
    assertThat(tokens.verify(null)).isNull();
    assertThat(tokens.verify("not a token at all")).isNull();
    assertThat(tokens.verify("1.a.b.!!!")).as("bad base64").isNull();
    assertThat(tokens.verify("x".repeat(10_000))).isNull();
  }

  @Test
  void anotherKeyDoesNotVerifyAndTheSameKeyDoes() {
    String token = tokens.sign(tokens.mint(7));
    assertThat(new Tokens(Tokens.newKey(), 60_000, now::get).verify(token)).isNull();
    // what a second node of the cluster does with the shared key
    assertThat(new Tokens(key.clone(), 1, now::get).verify(token)).isNotNull();
  }

  @Test
  void signedButMalformedClaimsAreRefused() {
    String forged = tokens.sign(new Tokens.Claims(7, "a.b", 2_000_000));
    assertThat(tokens.verify(forged)).as("a dot in the id shifts the fields").isNull();
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> new Tokens(new byte[31], 1, now::get)).isInstanceOf(IllegalArgumentException.class);
  }
}
