package chat.protocol.bus;

import chat.protocol.GroupRole;

/** A change in a group the receiver is (or was) in; {@code role} only for a ROLE change. */
public record GroupChange(Kind kind, int group, int user, GroupRole role) implements Push {
  public enum Kind { JOINED, LEFT, KICKED, ROLE, DISSOLVED }

  @Override
  public <T> T render(PushRenderer<T> renderer) {
    return renderer.group(this);
  }
}
