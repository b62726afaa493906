package chat.protocol.bus;

/** {@code user} is typing in the conversation {@code with}, as the receiver names it. */
public record TypingNotice(int user, Peer with) implements Push {
  @Override
  public <T> T render(PushRenderer<T> renderer) {
    return renderer.typing(this);
  }
}
