package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.Replies;
import chat.protocol.bus.AddFriend;
import chat.protocol.bus.Done;
import chat.protocol.bus.GroupChange;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import java.util.List;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Friends and groups. Membership is checked where messages are stored, in one transaction. */
final class Groups {
  private static final Logger LOG = LoggerFactory.getLogger(Groups.class);
  static final int MAX_GROUP_NAME = 50;
  static final int MAX_GROUP_DESC = 200;

  private final Db db;
  private final Router router;
  private final SpamLimits limits;

  Groups(Db db, Router router, SpamLimits limits) {
    this.db = db;
    this.router = router;
    this.limits = limits;
  }

  /**
   * Classic addfriend, one way as it always was, and limited as a friend request is (it reaches
   * the other side just the same). Classic has no reply, so a refusal for a block is logged here
   * at INFO, where an operator can find why an add did nothing.
   */
  Future<Done> addFriend(AddFriend req) {
    if (req.user() == req.friend()) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "cannot befriend yourself");
    }
    if (!limits.friendRequest(req.user())) {
      return Replies.refuse(ErrorCode.RATE_LIMITED, "too many friend requests: try again later");
    }
    return db.ask(req).onFailure(e -> {
      if (Replies.codeOf(e) == ErrorCode.FORBIDDEN) {
        LOG.info("addfriend {} -> {} refused: {}", req.user(), req.friend(), e.getMessage());
      }
    });
  }

  Future<GroupCreate.Created> create(GroupCreate req) {
    if (!Validation.isName(req.name(), MAX_GROUP_NAME) || !Validation.isText(req.desc(), MAX_GROUP_DESC)) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "group name 1-50, description 0-200 characters");
    }
    return db.ask(req);
  }

  /** A classic or v2 join alike is pushed to the members online. */
  Future<Done> join(GroupJoin req) {
    return db.ask(req).map(r -> {
      if (r.joined()) {
        GroupAdmin.tell(router, r.audience(), List.of(new GroupChange(GroupChange.Kind.JOINED, req.group(), req.user(), GroupRole.MEMBER)));
      }
      return Done.DONE;
    });
  }
}
