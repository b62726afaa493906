package chat.persistence;

import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for chat messages. Requests that arrive while a batch is being written queue up
 * and go together in the next transaction, so under load one commit carries many messages.
 * One batch at a time also keeps every recipient's sequence numbers in arrival order.
 *
 * <p>Request: {from, to} for a direct message or {from, group} for a group message, plus
 * {text, time}. Group members are read inside the transaction, so every node sees the same
 * membership. Reply: {messageId, deliveries:[[userId, seq], ...]}. Failures: NOT_FOUND (unknown
 * user or group), FORBIDDEN (sender not in the group), UNAVAILABLE (database).
 */
final class MessageBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MessageBatcher.class);
  private static final int INBOX_CHUNK = 256;
  private static final int MAX_GROUPS_PER_BATCH = 64;

  /** One queued request; {@code recipients} and {@code refusal} are filled in by the batch. */
  private static final class Pending {
    final Message<JsonObject> request;
    final JsonObject body;
    final List<Integer> recipients = new ArrayList<>();
    ErrorCode refusal;
    JsonObject result;

    Pending(Message<JsonObject> request) {
      this.request = request;
      this.body = request.body();
    }

    Integer to() {
      return body.getInteger("to");
    }

    Integer group() {
      return body.getInteger("group");
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final int maxBatch;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean flushing;

  MessageBatcher(Vertx vertx, Pool pool, int maxBatch) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxBatch = maxBatch;
  }

  void submit(Message<JsonObject> request) {
    queue.add(new Pending(request));
    if (!flushing) {
      flushing = true;
      // run after the requests already queued on this event loop, so they join the batch
      vertx.runOnContext(v -> flush());
    }
  }

  private void flush() {
    if (queue.isEmpty()) {
      flushing = false;
      return;
    }
    List<Pending> batch = new ArrayList<>();
    Set<Integer> groups = new LinkedHashSet<>();
    while (!queue.isEmpty() && batch.size() < maxBatch) {
      Integer group = queue.peek().group();
      if (group != null && !groups.contains(group) && groups.size() == MAX_GROUPS_PER_BATCH) {
        break;
      }
      if (group != null) {
        groups.add(group);
      }
      batch.add(queue.poll());
    }
    pool.withTransaction(conn -> store(conn, batch, groups))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("storing {} messages failed", batch.size(), ar.cause());
              }
              for (Pending p : batch) {
                if (ar.failed()) {
                  p.request.fail(ErrorCode.UNAVAILABLE.code(), "store failed");
                } else if (p.refusal != null) {
                  p.request.fail(p.refusal.code(), p.refusal.name());
                } else {
                  p.request.reply(p.result);
                }
              }
              flush();
            });
  }

  private Future<Void> store(SqlConnection conn, List<Pending> batch, Set<Integer> groups) {
    for (Pending p : batch) { // a retried transaction starts from scratch
      p.recipients.clear();
      p.refusal = null;
      p.result = null;
      if (p.group() == null) {
        p.recipients.add(p.to());
      }
    }
    Future<Void> resolved =
        groups.isEmpty()
            ? Future.succeededFuture()
            : conn.preparedQuery(SqlQueries.selectMembersOfGroups(groups.size()))
                .execute(Tuple.from(new ArrayList<>(groups)))
                .map(rows -> {
                  resolveGroups(batch, rows);
                  return null;
                });
    return resolved.compose(v -> reserveSequences(conn, batch)).compose(next -> insert(conn, batch, next));
  }

  private static void resolveGroups(List<Pending> batch, RowSet<Row> rows) {
    Map<Integer, List<Integer>> members = new HashMap<>();
    for (Row r : rows) {
      List<Integer> list = members.computeIfAbsent(r.getInteger("id"), k -> new ArrayList<>());
      Integer member = r.getInteger("user_id");
      if (member != null) {
        list.add(member);
      }
    }
    for (Pending p : batch) {
      if (p.group() == null) {
        continue;
      }
      List<Integer> list = members.get(p.group());
      int from = p.body.getInteger("from");
      if (list == null) {
        p.refusal = ErrorCode.NOT_FOUND;
      } else if (!list.contains(from)) {
        p.refusal = ErrorCode.FORBIDDEN;
      } else {
        list.stream().filter(m -> m != from).forEach(p.recipients::add);
      }
    }
  }

  /** Reserves each recipient's sequence numbers; returns the first new one per existing user. */
  private static Future<Map<Integer, Long>> reserveSequences(SqlConnection conn, List<Pending> batch) {
    TreeMap<Integer, Integer> counts = new TreeMap<>(); // sorted: rows lock in one order, no deadlock
    batch.stream().filter(p -> p.refusal == null)
        .forEach(p -> p.recipients.forEach(r -> counts.merge(r, 1, Integer::sum)));
    if (counts.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    List<Tuple> reserve = new ArrayList<>(counts.size());
    counts.forEach((user, n) -> reserve.add(Tuple.of(n, user)));
    return conn.preparedQuery(SqlQueries.RESERVE_SEQ)
        .executeBatch(reserve)
        .map(rs -> {
          Map<Integer, Long> next = new HashMap<>();
          RowSet<Row> cur = rs;
          for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            if (cur.rowCount() == 1) {
              long last = cur.property(MySQLClient.LAST_INSERTED_ID);
              next.put(e.getKey(), last - e.getValue() + 1);
            }
            cur = cur.next();
          }
          return next;
        });
  }

  private Future<Void> insert(SqlConnection conn, List<Pending> batch, Map<Integer, Long> nextSeq) {
    List<Pending> accepted = new ArrayList<>();
    List<Tuple> messageRows = new ArrayList<>();
    for (Pending p : batch) {
      if (p.refusal == null && p.group() == null && !nextSeq.containsKey(p.to())) {
        p.refusal = ErrorCode.NOT_FOUND;
      }
      if (p.refusal != null) {
        continue;
      }
      accepted.add(p);
      messageRows.add(Tuple.of(p.body.getInteger("from"), p.to(), p.group(), p.body.getString("text"),
          LocalDateTime.parse(p.body.getString("time"))));
    }
    if (accepted.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(SqlQueries.INSERT_MESSAGE)
        .executeBatch(messageRows)
        .compose(rs -> {
          List<Tuple> inbox = new ArrayList<>();
          RowSet<Row> cur = rs;
          for (Pending p : accepted) {
            long messageId = cur.property(MySQLClient.LAST_INSERTED_ID);
            cur = cur.next();
            JsonArray deliveries = new JsonArray();
            for (Integer user : p.recipients) {
              Long seq = nextSeq.get(user);
              if (seq != null) {
                nextSeq.put(user, seq + 1);
                deliveries.add(new JsonArray().add(user).add(seq));
                inbox.add(Tuple.of(user, seq, messageId));
              }
            }
            p.result = new JsonObject().put("messageId", messageId).put("deliveries", deliveries);
          }
          return insertInbox(conn, inbox);
        });
  }

  private static Future<Void> insertInbox(SqlConnection conn, List<Tuple> rows) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < rows.size(); from += INBOX_CHUNK) {
      List<Tuple> chunk = rows.subList(from, Math.min(rows.size(), from + INBOX_CHUNK));
      Tuple params = Tuple.tuple();
      for (Tuple row : chunk) {
        params.addValue(row.getValue(0)).addValue(row.getValue(1)).addValue(row.getValue(2));
      }
      chain = chain.compose(
          v -> conn.preparedQuery(SqlQueries.insertInbox(chunk.size())).execute(params).mapEmpty());
    }
    return chain;
  }
}
