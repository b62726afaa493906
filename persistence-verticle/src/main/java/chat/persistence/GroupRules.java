package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.ProtocolException;

/**
 * Who may change a group's membership or roles (docs/protocol.md section 6). Pure, so every
 * permission is unit-tested without a database; {@link GroupAdmin} applies it to rows it has
 * locked. A null role means "not a member".
 */
final class GroupRules {
  enum Action { LEAVE, KICK, PROMOTE, DEMOTE, TRANSFER, DISSOLVE }

  private GroupRules() {}

  /** Why {@code actor} may not do {@code action} to {@code target}, or null when allowed. */
  static ProtocolException refusal(Action action, GroupRole actor, GroupRole target) {
    if (actor == null) {
      return forbidden("not a member of this group");
    }
    switch (action) {
      case LEAVE:
        return actor == GroupRole.OWNER ? forbidden("the owner must transfer ownership before leaving") : null;
      case DISSOLVE:
        return actor == GroupRole.OWNER ? null : forbidden("only the owner may dissolve the group");
      case KICK:
        if (actor == GroupRole.MEMBER) {
          return forbidden("only the owner and admins may kick");
        }
        break;
      default:
        if (actor != GroupRole.OWNER) {
          return forbidden("only the owner may change roles");
        }
    }
    if (target == null) {
      return new ProtocolException(ErrorCode.NOT_FOUND, "that user is not a member of this group");
    }
    if (target == GroupRole.OWNER) {
      return forbidden("the owner cannot be " + (action == Action.KICK ? "kicked" : "changed"));
    }
    if (action == Action.KICK && actor == GroupRole.ADMIN && target != GroupRole.MEMBER) {
      return forbidden("admins may kick members only");
    }
    return null;
  }

  private static ProtocolException forbidden(String why) {
    return new ProtocolException(ErrorCode.FORBIDDEN, why);
  }
}
