package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Done;
import chat.protocol.bus.LastSeqs;
import chat.protocol.bus.MarkDelivered;
import chat.protocol.bus.Profile;
import chat.protocol.bus.UserCreate;
import chat.protocol.bus.UserGet;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Accounts and their delivery watermark. */
final class Users {
  private final Pool pool;

  Users(Pool pool) {
    this.pool = pool;
  }

  /** A taken name fails with NAME_TAKEN. */
  Future<UserCreate.Created> create(UserCreate req) {
    return pool.preparedQuery(SqlQueries.INSERT_USER)
        .execute(Tuple.of(req.name(), req.hash()))
        .map(rows -> new UserCreate.Created(rows.property(MySQLClient.LAST_INSERTED_ID).intValue()))
        .recover(
            e ->
                e instanceof MySQLException m && m.getErrorCode() == SqlQueries.ER_DUP_ENTRY
                    ? Replies.refuse(ErrorCode.NAME_TAKEN, "name is taken")
                    : Future.failedFuture(e));
  }

  /** Unknown ids fail with NOT_FOUND. */
  Future<UserGet.Account> get(UserGet req) {
    return pool.preparedQuery(SqlQueries.SELECT_USER)
        .execute(Tuple.of(req.id()))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
              }
              Row r = rows.iterator().next();
              return Future.succeededFuture(new UserGet.Account(r.getInteger("id"), r.getString("name"), r.getString("password_hash")));
            });
  }

  /** Raises each watermark, never lowers it. */
  Future<Done> markDelivered(MarkDelivered req) {
    // sorted by user, so concurrent upserts from several gateways lock rows in one order
    TreeMap<Integer, Long> marks = new TreeMap<>();
    for (MarkDelivered.Mark m : req.marks()) {
      marks.merge(m.user(), m.seq(), Math::max);
    }
    List<Tuple> rows = new ArrayList<>(marks.size());
    marks.forEach((user, seq) -> rows.add(Tuple.of(user, seq)));
    // one statement (one commit, one fsync) per 512 users: a repeated row raises nothing
    return MultiRow.executePadded(pool, rows, 512, SqlQueries::markDelivered).map(v -> Done.DONE);
  }

  /** Lets gateways find sessions that are behind. */
  Future<LastSeqs.Result> lastSeqs(LastSeqs req) {
    if (req.users().isEmpty()) {
      return Future.succeededFuture(new LastSeqs.Result(Map.of()));
    }
    return pool.preparedQuery(SqlQueries.selectLastSeqs(req.users().size()))
        .execute(Tuple.from(req.users()))
        .map(rows -> {
          Map<Integer, Long> seqs = new HashMap<>();
          for (Row r : rows) {
            seqs.put(r.getInteger("id"), r.getLong("last_seq"));
          }
          return new LastSeqs.Result(seqs);
        });
  }

  /** NOT_FOUND when nobody has the name. */
  Future<Profile.Found> profile(Profile req) {
    if (req.name() == null) {
      return Replies.refuse(ErrorCode.BAD_FIELD, "name missing");
    }
    return pool.preparedQuery(SqlQueries.SELECT_USER_BY_NAME).execute(Tuple.of(req.name()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
          }
          Row r = rows.iterator().next();
          return Future.succeededFuture(new Profile.Found(r.getInteger("id"), r.getString("name")));
        });
  }

  Future<Done> ping() {
    return pool.query(SqlQueries.PING).execute().map(rows -> Done.DONE);
  }
}
