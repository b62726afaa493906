package chat.protocol.bus;

import io.vertx.core.Future;

/** A new account; the client gives up waiting at {@code deadline} (epoch ms), and then no name is taken. */
public record Register(String name, String password, String ip, long deadline) implements ChatRequest<Register.Registered> {
  public record Registered(int user) implements ChatReply {}

  @Override
  public Future<Registered> handleWith(ChatHandler handler) {
    return handler.register(this);
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "Register[ip=" + ip + "]";
  }
}
