package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * {@code user} changes the password from {@code old} to {@code fresh}: checked like a login, then
 * every earlier token of the user is revoked and a new one issued for this connection.
 */
public record PasswordChange(int user, String old, String fresh, String ip, long deadline)
    implements ChatRequest<PasswordChange.Issued> {
  /** The user's only valid token now, and when it expires (an Instant's text). */
  public record Issued(String token, String expires) implements ChatReply {
    @Override
    public String toString() {
      return "Issued[expires=" + expires + "]";
    }
  }

  @Override
  public Future<Issued> handleWith(ChatHandler handler) {
    return handler.password(this);
  }

  /** Never a password. */
  @Override
  public String toString() {
    return "PasswordChange[user=" + user + ", ip=" + ip + "]";
  }
}
