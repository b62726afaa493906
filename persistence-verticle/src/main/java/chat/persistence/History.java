package chat.persistence;

import chat.protocol.ChatMessage;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.HistoryPage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Paging backwards through one conversation by message id. A group's history is its members'
 * only (FORBIDDEN otherwise); a 1:1 conversation is the messages between the two, either way.
 */
final class History {
  static final int MAX_LIMIT = 100;

  private final Pool pool;

  History(Pool pool) {
    this.pool = pool;
  }

  Future<HistoryPage.Page> page(HistoryPage req) {
    int user = req.user();
    long before = req.before() == null ? Long.MAX_VALUE : req.before();
    if (req.with() == null) {
      return Replies.refuse(ErrorCode.BAD_FIELD, "with must name one user or one group");
    }
    if (req.limit() < 1) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "limit must be >= 1");
    }
    int n = Math.min(req.limit(), MAX_LIMIT);
    // one more than asked, to learn whether more follow; the check runs alongside the read and
    // nothing read leaves here unless it passes
    Future<ErrorCode> allowed;
    Future<RowSet<Row>> rows;
    if (!req.with().isGroup()) {
      int other = req.with().user();
      allowed = pool.preparedQuery(SqlQueries.USER_EXISTS).execute(Tuple.of(other))
          .map(r -> r.iterator().next().getLong(0) > 0 ? null : ErrorCode.NOT_FOUND);
      rows = pool.preparedQuery(SqlQueries.SELECT_DIRECT_HISTORY)
          .execute(Tuple.of(user, other, before, n + 1).addValue(other).addValue(user).addValue(before)
              .addValue(n + 1).addValue(n + 1));
    } else {
      int group = req.with().group();
      allowed = pool.preparedQuery(SqlQueries.GROUP_MEMBERSHIP).execute(Tuple.of(group, group, user))
          .map(r -> {
            Row row = r.iterator().next();
            return row.getLong("found") == 0 ? ErrorCode.NOT_FOUND : row.getLong("member") == 0 ? ErrorCode.FORBIDDEN : null;
          });
      rows = pool.preparedQuery(SqlQueries.SELECT_GROUP_HISTORY).execute(Tuple.of(group, before, n + 1));
    }
    return Future.all(allowed, rows).compose(all -> allowed.result() != null
        ? Replies.refuse(allowed.result(), allowed.result() == ErrorCode.FORBIDDEN ? "not a member" : "no such conversation")
        : Future.succeededFuture(pageOf(rows.result(), n)));
  }

  private static HistoryPage.Page pageOf(RowSet<Row> rows, int n) {
    List<ChatMessage> messages = new ArrayList<>();
    for (Row r : rows) {
      if (messages.size() < n) {
        messages.add(LoginData.messageOf(r));
      }
    }
    return new HistoryPage.Page(messages, rows.size() > n);
  }
}
