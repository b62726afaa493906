package chat.protocol.bus;

/** A friend and whether they are logged in anywhere (the store always says false: presence is chat's). */
public record Friend(int id, String name, boolean online) {
  public Friend online(boolean now) {
    return new Friend(id, name, now);
  }
}
