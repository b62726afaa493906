package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Audience;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The lookups behind presence and typing pushes (Addresses.DB_PRESENCE_WATCHERS,
 * DB_TYPING_AUDIENCE). Read only, no transaction, no lock: the pushes are best effort, so a
 * friendship or membership that changes during a lookup may be seen either way.
 */
final class Ephemeral {
  private final Pool pool;

  Ephemeral(Pool pool) {
    this.pool = pool;
  }

  /** Presence watchers without {@code with}, the typing audience with it. */
  Future<Audience.Users> audience(Audience req) {
    if (req.with() == null) {
      return pool.preparedQuery(SqlQueries.PRESENCE_WATCHERS).execute(Tuple.of(req.user(), req.limit())).map(Ephemeral::users);
    }
    int me = req.user();
    if (!req.with().isGroup()) {
      int other = req.with().user();
      return pool.preparedQuery(SqlQueries.TYPING_PEER).execute(Tuple.of(other, other, me, other, me)).compose(rows -> {
        Row r = rows.iterator().next();
        if (!truth(r, "found")) {
          return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
        }
        if (truth(r, "blocked")) {
          return Replies.refuse(ErrorCode.FORBIDDEN, "blocked");
        }
        return Future.succeededFuture(new Audience.Users(List.of(other), !truth(r, "added")));
      });
    }
    int group = req.with().group();
    return pool.preparedQuery(SqlQueries.GROUP_MEMBERSHIP).execute(Tuple.of(group, group, me)).compose(rows -> {
      Row r = rows.iterator().next();
      if (!truth(r, "found")) {
        return Replies.refuse(ErrorCode.NOT_FOUND, "no such group");
      }
      if (!truth(r, "member")) {
        return Replies.refuse(ErrorCode.FORBIDDEN, "not a member of the group");
      }
      return pool.preparedQuery(SqlQueries.OTHER_MEMBERS).execute(Tuple.of(group, me, req.limit())).map(Ephemeral::users);
    });
  }

  private static Audience.Users users(RowSet<Row> rows) {
    List<Integer> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.getInteger(0)));
    return new Audience.Users(ids, false);
  }

  /** EXISTS comes back as a number whose Java type depends on the server. */
  static boolean truth(Row r, String column) {
    Object v = r.getValue(column);
    return v instanceof Number n ? n.longValue() != 0 : Boolean.TRUE.equals(v);
  }
}
