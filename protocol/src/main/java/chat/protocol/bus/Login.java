package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * Claims {@code user} for the login named {@code session}, with a password or a resume token
 * (exactly one). {@code issueToken}: a v2 password login gets a token; {@code conversations}: the
 * snapshot lists them (v2). Chat does not claim the account once {@code deadline} (epoch ms) passed.
 */
public record Login(int user, String password, String token, String session, String ip, long deadline,
    boolean issueToken, boolean conversations) implements ChatRequest<LoginSnapshot> {

  @Override
  public Future<LoginSnapshot> handleWith(ChatHandler handler) {
    return handler.login(this);
  }

  /** Never the password or the token: a record's default would print both into any log line. */
  @Override
  public String toString() {
    return "Login[user=" + user + ", session=" + session + ", ip=" + ip + ", " + (token != null ? "token" : "password") + "]";
  }
}
