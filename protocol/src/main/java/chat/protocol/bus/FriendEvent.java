package chat.protocol.bus;

/** Something {@code user} did about a friendship with the receiver. */
public record FriendEvent(Kind kind, int user, String name) implements Push {
  public enum Kind { REQUEST, ACCEPTED, DECLINED, REMOVED }

  @Override
  public <T> T render(PushRenderer<T> renderer) {
    return renderer.friend(this);
  }
}
