package chat.protocol;

import java.util.Locale;

/** A member's role in a group, as stored (group_members.role) and as v2 shows it. */
public enum GroupRole {
  OWNER,
  ADMIN,
  MEMBER;

  /** The stored and v2 spelling. */
  public String sql() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The classic login ack's spelling: the classic server knew only "creator" and "normal", and
   * classic clients compare against those strings, so admins show as "normal".
   */
  public String classic() {
    return this == OWNER ? "creator" : "normal";
  }

  /** Unknown spellings (a row from before V11 cannot exist, but be lenient) read as MEMBER. */
  public static GroupRole of(String stored) {
    if (stored == null) {
      return MEMBER;
    }
    return switch (stored) {
      case "owner", "creator" -> OWNER;
      case "admin" -> ADMIN;
      default -> MEMBER;
    };
  }
}
