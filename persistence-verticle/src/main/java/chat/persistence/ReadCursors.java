package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Conversation;
import chat.protocol.bus.Peer;
import chat.protocol.bus.ReadUpTo;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Read cursors and the unread counts derived from them (docs/protocol.md section 4). A count is
 * never stored: it is the conversation's messages after the cursor, from others, counted when
 * asked, so nothing can make it drift.
 */
final class ReadCursors {
  /** Most conversations listed, most recent first: a login's cost stays bounded. */
  static final int MAX_CONVERSATIONS = 200;

  private final Pool pool;

  ReadCursors(Pool pool) {
    this.pool = pool;
  }

  /**
   * The cursor after the move. It never moves back, nor past the conversation's last message (a
   * client cannot mark what does not exist yet as read). 1008 for an unknown user or group, 1007
   * for a group the user is not in.
   */
  Future<ReadUpTo.Moved> read(ReadUpTo req) {
    int me = req.user();
    long upto = req.upto();
    if (req.with() == null) {
      return Replies.refuse(ErrorCode.BAD_FIELD, "with must name one user or one group");
    }
    boolean direct = !req.with().isGroup();
    String kind = direct ? "user" : "group";
    int id = req.with().id();
    Future<RowSet<Row>> check = direct
        ? pool.preparedQuery(SqlQueries.DIRECT_READ_CHECK).execute(Tuple.of(id, me, id, id, me, me).addValue(id))
        : pool.preparedQuery(SqlQueries.GROUP_READ_CHECK).execute(Tuple.of(id, id, me, id, me, id));
    return check.compose(rows -> {
      Row r = rows.iterator().next();
      if (r.getLong("found") == 0) {
        return Replies.refuse(ErrorCode.NOT_FOUND, "no such " + kind);
      }
      if (r.getLong("member") == 0) {
        return Replies.refuse(ErrorCode.FORBIDDEN, "not a member");
      }
      long before = r.getLong("read_upto");
      long target = Math.min(upto, r.getLong("last"));
      if (target <= before) {
        return Future.succeededFuture(new ReadUpTo.Moved(before, false));
      }
      return pool.preparedQuery(SqlQueries.MOVE_READ_CURSOR).execute(Tuple.of(me, kind, id, target))
          .map(v -> new ReadUpTo.Moved(target, true));
    });
  }

  /** The user's conversations with messages, 1:1 and groups, most recent first, at most {@link #MAX_CONVERSATIONS}. */
  Future<List<Conversation>> conversations(int me) {
    Future<RowSet<Row>> direct = pool.preparedQuery(SqlQueries.SELECT_DIRECT_CONVERSATIONS)
        .execute(Tuple.of(me, me, me, me, me, me).addValue(MAX_CONVERSATIONS).addValue(me));
    Future<RowSet<Row>> groups = pool.preparedQuery(SqlQueries.SELECT_GROUP_CONVERSATIONS)
        .execute(Tuple.of(me, me, me, MAX_CONVERSATIONS));
    return Future.all(direct, groups).map(all -> {
      List<Conversation> list = new ArrayList<>();
      for (Row r : direct.result()) {
        int peer = r.getInteger("peer");
        // talking to oneself: every message there is one's own
        list.add(entry(Peer.user(peer), r, peer == me ? 0 : r.getLong("unread")));
      }
      for (Row r : groups.result()) {
        list.add(entry(Peer.group(r.getInteger("peer")), r, r.getLong("unread")));
      }
      list.sort(Comparator.comparingLong(Conversation::last).reversed());
      return List.copyOf(list.subList(0, Math.min(list.size(), MAX_CONVERSATIONS)));
    });
  }

  private static Conversation entry(Peer with, Row r, long unread) {
    return new Conversation(with, r.getLong("last"), r.getLong("read_upto"), unread);
  }
}
