package chat.protocol.bus;

/**
 * What chat pushes to a logged-in user besides messages: at most once, never stored (what it
 * announces is, or needs no storing). Chat names no wire key: the gateway renders each push for
 * v2 (classic has no frames for them). A new push is a new {@link PushRenderer} method, so the
 * compiler lists every renderer that must show it.
 */
public sealed interface Push permits FriendEvent, PresenceChange, TypingNotice, Receipt, GroupChange {
  <T> T render(PushRenderer<T> renderer);
}
