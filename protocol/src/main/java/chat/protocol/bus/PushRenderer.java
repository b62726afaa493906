package chat.protocol.bus;

/** Turns each kind of {@link Push} into a frame: one method per kind. */
public interface PushRenderer<T> {
  T friend(FriendEvent push);

  T presence(PresenceChange push);

  T typing(TypingNotice push);

  T receipt(Receipt push);

  T group(GroupChange push);
}
