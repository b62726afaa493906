package chat.protocol.bus;

/** The other side of a conversation: one user or one group, never both. */
public record Peer(Integer user, Integer group) {
  public Peer {
    if ((user == null) == (group == null)) {
      throw new IllegalArgumentException("a peer is one user or one group");
    }
  }

  public static Peer user(int id) {
    return new Peer(id, null);
  }

  public static Peer group(int id) {
    return new Peer(null, id);
  }

  public boolean isGroup() {
    return group != null;
  }

  /** The user's or the group's id. */
  public int id() {
    return group != null ? group : user;
  }
}
