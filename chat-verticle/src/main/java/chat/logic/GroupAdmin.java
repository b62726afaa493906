package chat.logic;

import chat.protocol.bus.Done;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupChange;
import java.util.List;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;

/**
 * v2 group administration (docs/protocol.md section 6). Persistence decides and writes in one
 * transaction (GroupAdmin there); this class refuses what needs no database and tells the
 * members who are online.
 */
final class GroupAdmin {
  private final Db db;
  private final Router router;

  GroupAdmin(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  /** Acting on oneself is never what was meant: leave and dissolve say so directly. */
  Future<Done> act(GroupAction req) {
    if (req.target() != null && req.target() == req.user()) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "that is yourself");
    }
    return db.ask(req).map(r -> {
      tell(router, r.audience(), r.events());
      return Done.DONE;
    });
  }

  /** Pushes each event to each listed member that is online; at most once, like friend notices. */
  static void tell(Router router, List<Integer> audience, List<GroupChange> events) {
    for (GroupChange push : events) {
      for (int member : audience) {
        router.notify(member, push);
      }
    }
  }
}
