package chat.persistence;

import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLException;
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
  private static final int INBOX_CHUNK = 1024;
  private static final int MESSAGE_CHUNK = 256;
  private static final int SEQ_CHUNK = 1024;
  private static final int MAX_ATTEMPTS = 3;
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
  private final MessageIds ids;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean flushing;

  MessageBatcher(Vertx vertx, Pool pool, int maxBatch) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxBatch = maxBatch;
    this.ids = new MessageIds(pool);
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
    // ids come first, on a connection of their own: once the transaction holds row locks it must
    // not wait for a pool connection that may be queued behind those very locks
    ids.take(batch.size())
        .compose(firstId -> storeWithRetry(batch, groups, firstId, 1))
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

  /** Deadlocks and lock timeouts roll the whole transaction back, so running it again is safe. */
  private Future<Void> storeWithRetry(List<Pending> batch, Set<Integer> groups, long firstId, int attempt) {
    return pool.<Void>withTransaction(conn -> store(conn, batch, groups, firstId)).recover(e -> {
      boolean transientError = e instanceof MySQLException m
          && (m.getErrorCode() == SqlQueries.ER_LOCK_DEADLOCK || m.getErrorCode() == SqlQueries.ER_LOCK_WAIT_TIMEOUT);
      if (transientError && attempt < MAX_ATTEMPTS) {
        LOG.debug("batch of {} rolled back ({}); attempt {}", batch.size(), e.getMessage(), attempt + 1);
        return storeWithRetry(batch, groups, firstId, attempt + 1);
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Void> store(SqlConnection conn, List<Pending> batch, Set<Integer> groups, long firstId) {
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
    return resolved.compose(v -> reserveSequences(conn, batch)).compose(next -> insert(conn, batch, next, firstId));
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

  /**
   * Reserves each recipient's sequence numbers; returns the first new one per existing user.
   * Two statements per 1024 users whatever the batch size: lock and read, then add.
   */
  private static Future<Map<Integer, Long>> reserveSequences(SqlConnection conn, List<Pending> batch) {
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    batch.stream().filter(p -> p.refusal == null)
        .forEach(p -> p.recipients.forEach(r -> counts.merge(r, 1, Integer::sum)));
    Map<Integer, Long> next = new HashMap<>();
    List<Integer> users = new ArrayList<>(counts.keySet());
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < users.size(); from += SEQ_CHUNK) {
      List<Integer> chunk = users.subList(from, Math.min(users.size(), from + SEQ_CHUNK));
      chain = chain.compose(v -> reserveChunk(conn, chunk, counts, next));
    }
    return chain.map(next);
  }

  private static Future<Void> reserveChunk(SqlConnection conn, List<Integer> users, Map<Integer, Integer> counts, Map<Integer, Long> next) {
    int size = SqlQueries.ceilPow2(users.size());
    Tuple ids = Tuple.tuple();
    for (int i = 0; i < size; i++) {
      ids.addValue(users.get(Math.min(i, users.size() - 1))); // padding repeats the last id
    }
    return conn.preparedQuery(SqlQueries.lockSeqs(size)).execute(ids).compose(rows -> {
      List<Integer> found = new ArrayList<>();
      for (Row r : rows) {
        found.add(r.getInteger(0));
        next.put(r.getInteger(0), r.getLong(1) + 1);
      }
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      int n = SqlQueries.ceilPow2(found.size());
      Tuple add = Tuple.tuple();
      for (int i = 0; i < n; i++) {
        Integer user = found.get(Math.min(i, found.size() - 1));
        add.addValue(user).addValue(counts.get(user));
      }
      for (int i = 0; i < n; i++) {
        add.addValue(found.get(Math.min(i, found.size() - 1)));
      }
      return conn.preparedQuery(SqlQueries.addSeqs(n)).execute(add).mapEmpty();
    });
  }

  private Future<Void> insert(SqlConnection conn, List<Pending> batch, Map<Integer, Long> nextSeq, long firstId) {
    List<Pending> accepted = new ArrayList<>();
    for (Pending p : batch) {
      if (p.refusal == null && p.group() == null && !nextSeq.containsKey(p.to())) {
        p.refusal = ErrorCode.NOT_FOUND;
      }
      if (p.refusal == null) {
        accepted.add(p);
      }
    }
    if (accepted.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> messageRows = new ArrayList<>(accepted.size());
    List<Tuple> inbox = new ArrayList<>();
    long messageId = firstId;
    for (Pending p : accepted) {
      messageRows.add(Tuple.of(messageId, p.body.getInteger("from"), p.to(), p.group(), p.body.getString("text"),
          LocalDateTime.parse(p.body.getString("time"))));
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
      messageId++;
    }
    return MultiRow.execute(conn, messageRows, MESSAGE_CHUNK, SqlQueries::insertMessages)
        .compose(v -> MultiRow.execute(conn, inbox, INBOX_CHUNK, SqlQueries::insertInbox));
  }
}
