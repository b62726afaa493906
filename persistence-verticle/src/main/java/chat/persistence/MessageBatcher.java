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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for chat messages. Requests that arrive while a batch is being written queue up
 * and go together in the next transaction, so under load one commit carries many messages.
 * One batch at a time also keeps every recipient's sequence numbers in arrival order.
 *
 * <p>Request: {from, to|null, group|null, text, time, recipients:[ids]}. Reply: {messageId,
 * deliveries:[[userId, seq], ...]}. A direct message to an unknown user fails with NOT_FOUND.
 */
final class MessageBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MessageBatcher.class);
  private static final int INBOX_CHUNK = 256;
  private static final int MAX_INBOX_ROWS_PER_BATCH = 8192;

  private record Pending(Message<JsonObject> request, JsonObject body, List<Integer> recipients) {}

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
    JsonObject body = request.body();
    List<Integer> recipients = new ArrayList<>();
    body.getJsonArray("recipients").forEach(r -> recipients.add((Integer) r));
    queue.add(new Pending(request, body, recipients));
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
    int rows = 0;
    while (!queue.isEmpty() && batch.size() < maxBatch && rows < MAX_INBOX_ROWS_PER_BATCH) {
      Pending p = queue.poll();
      rows += p.recipients.size();
      batch.add(p);
    }
    pool.withTransaction(conn -> store(conn, batch))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                for (int i = 0; i < batch.size(); i++) {
                  JsonObject result = ar.result().get(i);
                  if (result == null) {
                    batch.get(i).request.fail(ErrorCode.NOT_FOUND.code(), "no such user");
                  } else {
                    batch.get(i).request.reply(result);
                  }
                }
              } else {
                LOG.warn("storing {} messages failed", batch.size(), ar.cause());
                batch.forEach(p -> p.request.fail(ErrorCode.UNAVAILABLE.code(), "store failed"));
              }
              flush();
            });
  }

  /** One result per pending message, null where it was refused. */
  private Future<List<JsonObject>> store(SqlConnection conn, List<Pending> batch) {
    TreeMap<Integer, Integer> counts = new TreeMap<>(); // sorted: locks in one order, no deadlock
    batch.forEach(p -> p.recipients.forEach(r -> counts.merge(r, 1, Integer::sum)));
    if (counts.isEmpty()) {
      return insert(conn, batch, new HashMap<>());
    }
    List<Tuple> reserve = new ArrayList<>(counts.size());
    counts.forEach((user, n) -> reserve.add(Tuple.of(n, user)));
    return conn.preparedQuery(SqlQueries.RESERVE_SEQ)
        .executeBatch(reserve)
        .compose(
            rs -> {
              Map<Integer, Long> nextSeq = new HashMap<>();
              RowSet<Row> cur = rs;
              for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
                if (cur.rowCount() == 1) {
                  long last = cur.property(MySQLClient.LAST_INSERTED_ID);
                  nextSeq.put(e.getKey(), last - e.getValue() + 1);
                }
                cur = cur.next();
              }
              return insert(conn, batch, nextSeq);
            });
  }

  private Future<List<JsonObject>> insert(
      SqlConnection conn, List<Pending> batch, Map<Integer, Long> nextSeq) {
    List<Pending> accepted = new ArrayList<>();
    List<Tuple> messageRows = new ArrayList<>();
    for (Pending p : batch) {
      JsonObject b = p.body;
      Integer to = b.getInteger("to");
      if (to != null && !nextSeq.containsKey(to)) {
        continue;
      }
      accepted.add(p);
      messageRows.add(
          Tuple.of(
              b.getInteger("from"), to, b.getInteger("group"), b.getString("text"),
              LocalDateTime.parse(b.getString("time"))));
    }
    if (accepted.isEmpty()) {
      return Future.succeededFuture(results(batch, Map.of()));
    }
    return conn.preparedQuery(SqlQueries.INSERT_MESSAGE)
        .executeBatch(messageRows)
        .compose(
            rs -> {
              Map<Pending, JsonObject> results = new IdentityHashMap<>();
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
                results.put(p, new JsonObject().put("messageId", messageId).put("deliveries", deliveries));
              }
              return insertInbox(conn, inbox).map(v -> results(batch, results));
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
      chain =
          chain.compose(
              v -> conn.preparedQuery(SqlQueries.insertInbox(chunk.size())).execute(params).mapEmpty());
    }
    return chain;
  }

  private static List<JsonObject> results(List<Pending> batch, Map<Pending, JsonObject> byPending) {
    List<JsonObject> out = new ArrayList<>(batch.size());
    batch.forEach(p -> out.add(byPending.get(p)));
    return out;
  }
}
