package chat.logic;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendChange.Outcome;
import chat.protocol.bus.FriendEvent;
import chat.protocol.bus.PresenceChange;
import io.vertx.core.Future;
import java.util.List;

/**
 * Friend requests with consent, removal and blocks (docs/protocol.md section 5). The database
 * decides (persistence Friendships); this class refuses what needs no database and tells the
 * other side, when it is online, what changed.
 */
final class Friends {
  private final Db db;
  private final Router router;

  Friends(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  Future<FriendChange.Result> change(FriendChange req) {
    if (req.user() == req.other()) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "that is yourself");
    }
    return db.ask(req).map(result -> {
      tell(req, result.outcome());
      return result;
    });
  }

  /**
   * A request to someone who asked first accepts. The blocked user is not told of the block; a
   * friendship it ends is announced as "removed", so the other's list stays right without naming
   * the reason. Removing someone who is not a friend changes nothing and tells nobody.
   */
  private void tell(FriendChange req, Outcome outcome) {
    switch (req.kind()) {
      case REQUEST -> {
        if (outcome == Outcome.REQUESTED) {
          push(req, FriendEvent.Kind.REQUEST);
        } else if (outcome == Outcome.ACCEPTED) {
          push(req, FriendEvent.Kind.ACCEPTED);
          introduce(req);
        }
      }
      case ACCEPT -> {
        push(req, FriendEvent.Kind.ACCEPTED);
        introduce(req);
      }
      case DECLINE -> push(req, FriendEvent.Kind.DECLINED);
      case REMOVE, BLOCK -> {
        if (outcome == Outcome.REMOVED) {
          push(req, FriendEvent.Kind.REMOVED);
        }
      }
      case UNBLOCK -> { }
    }
  }

  /**
   * New friends learn each other's presence at once: the presence feed only tells changes, so
   * without this each would show the other as unknown until the next login or logout.
   */
  private void introduce(FriendChange req) {
    int me = req.user();
    int other = req.other();
    router.notify(other, new PresenceChange(me, true));
    router.online(List.of(other))
        .onSuccess(found -> router.notify(me, new PresenceChange(other, found.contains(other))));
  }

  private void push(FriendChange req, FriendEvent.Kind kind) {
    router.notify(req.other(), new FriendEvent(kind, req.user(), req.name()));
  }
}
