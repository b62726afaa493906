package chat.protocol.bus;

/**
 * A friend; {@code mutual} when each has the other as a friend (a v2 friendship both accepted, or
 * a classic pair who each added the other), and only then whether they are logged in anywhere:
 * presence is shown by consent. The store always says not online: presence is chat's.
 */
public record Friend(int id, String name, boolean mutual, boolean online) {
  public Friend online(boolean now) {
    return new Friend(id, name, mutual, mutual && now);
  }
}
