package chat.logic;

import chat.protocol.bus.Received;
import chat.protocol.bus.Done;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.Receipt;
import io.vertx.core.Future;

/**
 * Read and delivered receipts (docs/protocol.md section 4). The read cursor is stored (persistence
 * ReadCursors); the pushes are notices like friend pushes: at most once, to wherever the other
 * side is logged in, nothing when it is offline, since the cursor or the next sync tells the same.
 */
final class Receipts {
  private final Db db;
  private final Router router;

  Receipts(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  /**
   * Only a 1:1 read that moved the cursor is pushed: a group read would fan out to every member
   * for every read, for little use.
   */
  Future<Done> read(ReadUpTo req) {
    int me = req.user();
    return db.ask(req).map(r -> {
      if (!req.with().isGroup() && req.with().user() != me && r.moved()) {
        router.notify(req.with().user(), new Receipt(Receipt.Kind.READ, me, r.upto()));
      }
      return Done.DONE;
    });
  }

  /** What a recipient's ack newly covered, per sender. */
  Future<Done> delivered(Received req) {
    for (Received.Covered r : req.receipts()) {
      if (r.sender() != req.by()) {
        router.notify(r.sender(), new Receipt(Receipt.Kind.DELIVERED, req.by(), r.messageId()));
      }
    }
    return Future.succeededFuture(Done.DONE);
  }
}
