package chat.logic;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendChange.Outcome;
import chat.protocol.bus.FriendEvent;
import chat.protocol.bus.PresenceChange;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * Friend requests with consent, removal and blocks (docs/protocol.md section 5). The database
 * decides (persistence Friendships); this class refuses what needs no database and tells the
 * other side, when it is online, what changed.
 */
final class Friends {
  private final Db db;
  private final Router router;
  private final SpamLimits limits;
  /** Each account's last request still in the store: the next waits for it (see {@link #oneAtATime}). */
  private final BoundedMap<Integer, Future<?>> inStore = new BoundedMap<>(SpamLimits.TRACKED);

  Friends(Db db, Router router, SpamLimits limits) {
    this.db = db;
    this.router = router;
    this.limits = limits;
  }

  Future<FriendChange.Result> change(FriendChange req) {
    if (req.user() == req.other()) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "that is yourself");
    }
    if (req.kind() == FriendChange.Kind.REQUEST && !limits.friendRequest(req.user())) {
      return Replies.refuse(ErrorCode.RATE_LIMITED, "too many friend requests: try again later");
    }
    Future<FriendChange.Result> asked = req.kind() == FriendChange.Kind.REQUEST
        ? oneAtATime(req.user(), () -> db.ask(req))
        : db.ask(req);
    return asked.map(result -> {
      tell(req, result.outcome());
      return result;
    });
  }

  /**
   * One request of an account in the store at a time: the store counts the account's pending
   * requests before adding one, and two counted at once would both find room for the last.
   */
  private <T> Future<T> oneAtATime(int user, Supplier<Future<T>> ask) {
    Future<?> before = inStore.get(user);
    Future<T> mine = before == null ? ask.get() : before.transform(ar -> ask.get());
    inStore.put(user, mine);
    mine.onComplete(ar -> inStore.remove(user, mine));
    return mine;
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
