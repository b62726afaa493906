package chat.protocol.bus;

import chat.protocol.GroupRole;
import java.util.List;

/** A group the user is in, with its members, as the login snapshot carries it. */
public record GroupView(int id, String name, String desc, List<Member> members) {
  /** A member with their role and presence (the store always says offline: presence is chat's). */
  public record Member(int id, String name, GroupRole role, boolean online) {
    public Member online(boolean now) {
      return new Member(id, name, role, now);
    }
  }

  /** The role of {@code user} here, or MEMBER if the list does not name them. */
  public GroupRole roleOf(int user) {
    for (Member m : members) {
      if (m.id() == user) {
        return m.role();
      }
    }
    return GroupRole.MEMBER;
  }
}
