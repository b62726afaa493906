package chat.protocol.bus;

/** A friend came online or went offline. */
public record PresenceChange(int user, boolean online) implements Push {
  @Override
  public <T> T render(PushRenderer<T> renderer) {
    return renderer.presence(this);
  }
}
