package chat.persistence;

import chat.protocol.ErrorCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for chat messages. Requests that arrive while a batch is being written queue up
 * and go together in the next transaction, so under load one commit carries many messages.
 * One batch at a time also keeps every recipient's sequence numbers in arrival order.
 *
 * <p>Request: {from, to} for a direct message or {from, group} for a group message, plus
 * {text, time} and optionally {deadline} (epoch ms after which the sender no longer waits) and
 * {cmid} (the client's id for the message, see {@link ClientIds}). Group members are read inside
 * the transaction, so every node sees the same membership. Reply: {messageId, time, duplicate,
 * deliveries:[[userId, seq], ...]}. A request whose (from, cmid) is already stored, or repeats an
 * earlier request of its batch, stores and delivers nothing: it gets the original's messageId and
 * time, duplicate true and no deliveries. Failures: BAD_FIELD (malformed cmid), NOT_FOUND
 * (unknown user or group), FORBIDDEN (sender not in the group, or blocked by the recipient), LIMIT_REACHED (recipient's backlog at its cap, see
 * {@link InboxCap}), OVERLOADED (queue full), UNAVAILABLE (database failed,
 * did not answer within the timeout, or the request waited past its deadline).
 *
 * <p>A batch that gets no answer within {@code timeoutMs} before its COMMIT is abandoned: it
 * rolls back whenever the database answers again, its requests and everything queued behind it
 * fail at once, and the next requests form a new batch that probes the database. Once COMMIT
 * is sent the outcome is unknown until the database answers, so such a batch keeps waiting up
 * to its requests' deadlines while later batches go ahead.
 */
final class MessageBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MessageBatcher.class);
  private static final int INBOX_CHUNK = 1024;
  private static final int MESSAGE_CHUNK = 256;
  private static final int SEQ_CHUNK = 1024;
  private static final int BLOCK_CHUNK = 256;
  private static final int MAX_ATTEMPTS = 3;
  /** How often the store asks whether an unanswered commit happened, while the database is away. */
  private static final long COMMIT_CHECK_MS = 250;
  private static final int MAX_GROUPS_PER_BATCH = 64;
  /** A store_direct call must end this long before its batch would time out... */
  private static final long DIRECT_MARGIN_MS = 300;
  /** ...and is not made with less time than this left. */
  private static final long DIRECT_MIN_MS = 500;
  /** The event-bus send timeout is 30 s: past this, nobody is waiting for the reply any more. */
  static final long MAX_WAIT_MS = 25_000;
  /** Heap of a queued request besides its text. */
  private static final long ENTRY_OVERHEAD_BYTES = 256;

  /** One queued request; {@code recipients} and {@code refusal} are filled in by the batch. */
  private static final class Pending {
    final Message<JsonObject> request;
    final JsonObject body;
    final long deadline;
    final String cmid;
    final List<Integer> recipients = new ArrayList<>();
    ErrorCode refusal;
    /** Set only for a message this batch inserts. */
    JsonObject result;
    /** The reply of a resend whose original is already in the store. */
    JsonObject stored;
    /** An earlier request of the same batch with the same (from, cmid): this one shares its outcome. */
    Pending sameAs;

    Pending(Message<JsonObject> request, long deadline) {
      this.request = request;
      this.body = request.body();
      this.deadline = deadline;
      this.cmid = body.getString("cmid");
    }

    int from() {
      return body.getInteger("from");
    }

    /** Still to be written by this batch: neither refused nor a duplicate. */
    boolean open() {
      return refusal == null && stored == null && sameAs == null;
    }

    Integer to() {
      return body.getInteger("to");
    }

    Integer group() {
      return body.getInteger("group");
    }
  }

  /** One transaction's worth of requests and where it stands. */
  private static final class Run {
    final List<Pending> batch;
    /** Timed out before COMMIT: must roll back, its requests have been failed. */
    boolean abandoned;
    /** COMMIT sent: only the database can tell the outcome. */
    boolean committing;
    /** Later batches went ahead: finishing this one must not start another flush. */
    boolean detached;
    /** Its store_direct call is sent and has not answered: the server may be running it. */
    boolean callInFlight;
    final long startedAt = System.currentTimeMillis();
    boolean answered;

    Run(List<Pending> batch) {
      this.batch = batch;
    }

    /** The earliest deadline of its requests: past it, nobody waits for the batch's answers. */
    long deadline() {
      return batch.stream().mapToLong(p -> p.deadline).min().orElse(0);
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final int maxBatch;
  private final long timeoutMs;
  private final MessageIds ids;
  private final InboxCap cap;
  /**
   * How long store_direct may wait for a row lock, in seconds: below the request timeout, so a
   * call either answers before its batch times out or fails and rolls back. 0: calls are not used
   * (a timeout too short to leave room for a one-second wait).
   */
  private final int directLockWaitS;
  /**
   * A store_direct call past its batch's timeout (only a database that stopped answering makes
   * one: calls are bounded below it), unanswered: until it answers, batches take the checked
   * path, which can still be abandoned before its COMMIT, so at most this one call can commit
   * after its messages were reported failed (as one checked COMMIT can).
   */
  private Run lateDirect;
  private final StoreQueue<Pending> queue;
  private boolean flushing;
  private long refused;
  private long expired;
  private long failedBatches;

  MessageBatcher(Vertx vertx, Pool pool, DbSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.maxBatch = settings.maxBatch();
    this.timeoutMs = settings.timeoutMs();
    this.ids = new MessageIds(pool);
    this.cap = new InboxCap(settings.strangerBacklog(), settings.maxBacklog());
    int wait = (int) Math.max(1, timeoutMs / 2000);
    this.directLockWaitS = wait * 1000L < timeoutMs ? wait : 0;
    this.queue = new StoreQueue<>(settings.storeQueue(), settings.storeQueueBytes());
  }

  void submit(Message<JsonObject> request) {
    long now = System.currentTimeMillis();
    JsonObject body = request.body();
    long deadline = Math.min(body.getLong("deadline", Long.MAX_VALUE), now + MAX_WAIT_MS);
    if (deadline <= now) {
      request.fail(ErrorCode.UNAVAILABLE.code(), "deadline passed");
      return;
    }
    String badCmid = ClientIds.problem(body.getValue("cmid"));
    if (badCmid != null) {
      request.fail(ErrorCode.BAD_FIELD.code(), badCmid);
      return;
    }
    Pending p = new Pending(request, deadline);
    String text = body.getString("text");
    long bytes = ENTRY_OVERHEAD_BYTES + (text == null ? 0 : 2L * text.length());
    if (!queue.offer(p, bytes, deadline)) {
      if (refused++ == 0) {
        LOG.warn("store queue full ({} requests, {} bytes): refusing messages", queue.size(), queue.bytes());
      }
      request.fail(ErrorCode.OVERLOADED.code(), "store queue full");
      return;
    }
    if (!flushing) {
      flushing = true;
      // run after the requests already queued on this event loop, so they join the batch
      vertx.runOnContext(v -> flush());
    }
  }

  private void flush() {
    long now = System.currentTimeMillis();
    List<Pending> batch = new ArrayList<>();
    Set<Integer> groups = new LinkedHashSet<>();
    Pending head;
    while (batch.size() < maxBatch && (head = queue.peekLive(now, this::expire)) != null) {
      Integer group = head.group();
      if (group != null && !groups.contains(group) && groups.size() == MAX_GROUPS_PER_BATCH) {
        break;
      }
      if (group != null) {
        groups.add(group);
      }
      batch.add(queue.poll());
    }
    if (batch.isEmpty()) {
      flushing = false;
      return;
    }
    linkCopies(batch);
    Run run = new Run(batch);
    long timer = vertx.setTimer(timeoutMs, t -> timedOut(run));
    // ids come first, on a connection of their own: once the transaction holds row locks it must
    // not wait for a pool connection that may be queued behind those very locks
    ids.take(batch.size())
        // a batch that timed out while waiting for its ids never opens its transaction
        .compose(firstId -> run.abandoned ? Future.<Void>failedFuture(new IllegalStateException("abandoned")) : store(run, groups, firstId))
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          finish(run, ar.cause());
        });
  }

  /** Later requests of the batch with an earlier one's (from, cmid) wait for its outcome. */
  private static void linkCopies(List<Pending> batch) {
    if (batch.stream().allMatch(p -> p.cmid == null)) {
      return;
    }
    List<ClientIds.Key> keys = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      keys.add(p.cmid == null ? null : new ClientIds.Key(p.from(), p.cmid));
    }
    int[] first = ClientIds.firstOccurrences(keys);
    for (int i = 0; i < first.length; i++) {
      if (first[i] >= 0) {
        batch.get(i).sameAs = batch.get(first[i]);
      }
    }
  }

  private void finish(Run run, Throwable failure) {
    if (run.abandoned) {
      return; // its requests were failed when it timed out; it rolled back
    }
    if (failure != null) {
      // one line per outage, not per batch: a dead database fails every batch at once
      if (failedBatches++ == 0) {
        LOG.warn("storing {} messages failed; later failures are counted until a batch succeeds", run.batch.size(), failure);
      }
    } else if (run.detached) {
      LOG.info("a commit of {} messages answered after the database stalled", run.batch.size());
    }
    answer(run, failure);
    if (failure == null && (refused > 0 || expired > 0 || failedBatches > 0)) {
      LOG.warn("store recovered: {} batches failed, {} messages refused (queue full) and {} expired meanwhile",
          failedBatches, refused, expired);
      refused = 0;
      expired = 0;
      failedBatches = 0;
    }
    if (!run.detached) {
      flush();
    }
  }

  private void answer(Run run, Throwable failure) {
    if (run.answered) {
      return;
    }
    run.answered = true;
    for (Pending p : run.batch) {
      Pending outcome = p.sameAs != null ? p.sameAs : p;
      if (failure != null) {
        p.request.fail(ErrorCode.UNAVAILABLE.code(), "store failed");
      } else if (outcome.refusal != null) {
        p.request.fail(outcome.refusal.code(), refusalText(outcome));
      } else if (outcome.stored != null) {
        p.request.reply(outcome.stored);
      } else if (p.sameAs != null) {
        p.request.reply(ClientIds.duplicateOf(outcome.result));
      } else {
        p.request.reply(p.result);
      }
    }
  }

  private void timedOut(Run run) {
    if (run.committing) {
      LOG.warn("a commit of {} messages got no answer within {} ms; later messages go ahead", run.batch.size(), timeoutMs);
      run.detached = true;
      if (run.callInFlight) {
        lateDirect = run;
      }
      long waitFor = run.deadline() - System.currentTimeMillis();
      vertx.setTimer(Math.max(1, waitFor), t -> {
        if (!run.answered) {
          LOG.warn("a commit of {} messages is still unanswered: reported as failed, outcome unknown", run.batch.size());
          answer(run, new IllegalStateException("commit unanswered"));
        }
      });
    } else {
      if (failedBatches++ == 0) {
        LOG.warn("database gave no answer within {} ms: {} messages in the batch and {} queued fail", timeoutMs, run.batch.size(), queue.size());
      }
      run.abandoned = true;
      answer(run, new IllegalStateException("database timeout"));
      queue.drain(p -> p.request.fail(ErrorCode.UNAVAILABLE.code(), "database not answering"));
    }
    flush();
  }

  private void expire(Pending p) {
    expired++;
    p.request.fail(ErrorCode.UNAVAILABLE.code(), "waited past its deadline");
  }

  /**
   * A batch of 1:1 messages that need no copy check within the batch goes in one round trip
   * (store_direct); the procedure writes nothing when some message might have to be refused, or
   * on any error, and the batch then takes the checked path with the same ids.
   */
  private Future<Void> store(Run run, Set<Integer> groups, long firstId) {
    DirectBatch direct = directLockWaitS == 0 || lateDirect != null ? null : direct(run.batch);
    if (direct == null) {
      return storeWithRetry(run, groups, firstId, 1);
    }
    Tuple params = Tuple.of(firstId, direct.batchJson(), direct.recipientsJson(), cap.lowest(), directLockWaitS);
    return pool.getConnection().transform(got -> {
      if (got.failed()) { // nothing was sent: the checked path fails the same way, or finds the database back
        return storeWithRetry(run, groups, firstId, 1);
      }
      SqlConnection conn = got.result();
      if (run.abandoned) { // timed out while waiting for the connection: its requests were failed
        return conn.close().transform(v -> Future.<Void>failedFuture(new IllegalStateException("abandoned")));
      }
      // a call in flight cannot be abandoned as a checked batch can before its COMMIT, so the
      // server ends it (max_statement_time) before the batch would time out
      long limitMs = (timeoutMs - (System.currentTimeMillis() - run.startedAt) - DIRECT_MARGIN_MS) / 100 * 100;
      if (limitMs < DIRECT_MIN_MS) {
        return conn.close().transform(v -> storeWithRetry(run, groups, firstId, 1));
      }
      run.committing = true; // the procedure commits: from here only the database knows the outcome
      run.callInFlight = true;
      long endsBy = System.currentTimeMillis() + limitMs;
      return conn.preparedQuery(SqlQueries.storeDirect(limitMs)).execute(params).eventually(conn::close)
          .transform(ar -> {
            run.callInFlight = false;
            if (lateDirect == run) {
              lateDirect = null;
            }
            return directAnswered(run, groups, direct, firstId, endsBy, ar);
          });
    });
  }

  private Future<Void> directAnswered(Run run, Set<Integer> groups, DirectBatch direct, long firstId, long endsBy,
      AsyncResult<RowSet<Row>> ar) {
    if (ar.succeeded()) {
      Map<Integer, Long> before = new HashMap<>();
      ar.result().forEach(r -> before.put(r.getInteger(0), r.getLong(1)));
      answerDirect(run.batch, direct, firstId, before);
      return Future.succeededFuture();
    }
    if (!(ar.cause() instanceof MySQLException)) {
      // the connection broke: the server may still be running the call, until its time limit
      return directOutcome(run, groups, direct, firstId, endsBy + DIRECT_MARGIN_MS);
    }
    if (((MySQLException) ar.cause()).getErrorCode() == SqlQueries.ER_NEEDS_CHECKED_PATH) {
      return checkedAfterDirect(run, groups, firstId, ar.cause()); // refused before writing anything
    }
    // it rolled back, unless it was interrupted (its time limit) after its COMMIT; it has ended,
    // so what is stored now is its outcome
    LOG.debug("direct batch of {} failed ({}); asking whether it was stored", run.batch.size(), ar.cause().getMessage());
    return directOutcome(run, groups, direct, firstId, 0);
  }

  private Future<Void> checkedAfterDirect(Run run, Set<Integer> groups, long firstId, Throwable cause) {
    run.committing = false;
    if (run.detached) { // later batches went ahead: this one may no longer be numbered after them
      return Future.failedFuture(cause);
    }
    return storeWithRetry(run, groups, firstId, 1);
  }

  /** The batch as store_direct takes it, or null when it holds a group message or a copy, or too much text. */
  private static DirectBatch direct(List<Pending> batch) {
    List<DirectBatch.Message> messages = new ArrayList<>(batch.size());
    long chars = 0;
    for (Pending p : batch) {
      if (p.group() != null || p.sameAs != null || p.to() == null) {
        return null;
      }
      String text = p.body.getString("text");
      chars += text == null ? 0 : text.length();
      messages.add(new DirectBatch.Message(p.from(), p.to(), text, p.body.getString("time"), p.cmid));
    }
    return DirectBatch.fits(chars) ? new DirectBatch(messages) : null;
  }

  private static void answerDirect(List<Pending> batch, DirectBatch direct, long firstId, Map<Integer, Long> before) {
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      p.recipients.clear();
      p.recipients.add(p.to());
      p.refusal = null;
      p.stored = null;
      JsonArray deliveries = new JsonArray().add(new JsonArray().add(p.to()).add(direct.seq(i, before)));
      p.result = ClientIds.reply(firstId + i, p.body.getString("time"), false, deliveries);
    }
  }

  /**
   * A store_direct call that failed other than by refusing: from {@code askAt} (once the server
   * has surely ended it) whether its first message is stored tells its outcome. If it is, the
   * sequence numbers it gave are read back; if not, the batch takes the checked path. A database
   * that does not tell before the deadline fails the batch, outcome unknown.
   */
  private Future<Void> directOutcome(Run run, Set<Integer> groups, DirectBatch direct, long firstId, long askAt) {
    long deadline = run.deadline();
    return delay(askAt - System.currentTimeMillis())
        .compose(v -> readBack(SqlQueries.MESSAGE_EXISTS, Tuple.of(firstId), deadline))
        .compose(rows -> rows.iterator().next().getLong(0) > 0
            ? readDeliveries(run, direct, firstId, deadline)
            : checkedAfterDirect(run, groups, firstId, new IllegalStateException("store_direct did not store")));
  }

  private Future<Void> readDeliveries(Run run, DirectBatch direct, long firstId, long deadline) {
    List<Integer> users = direct.recipients();
    int size = SqlQueries.ceilPow2(users.size());
    Tuple params = Tuple.of(firstId, firstId + run.batch.size() - 1);
    for (int i = 0; i < size; i++) {
      params.addValue(users.get(Math.min(i, users.size() - 1))); // padding repeats the last id harmlessly
    }
    return readBack(SqlQueries.inboxOfMessages(size), params, deadline)
        .map(rows -> {
          Map<Integer, Long> before = new HashMap<>();
          for (Row r : rows) {
            before.put(r.getInteger(0), r.getLong(1) - direct.k((int) (r.getLong(2) - firstId)));
          }
          answerDirect(run.batch, direct, firstId, before);
          return null;
        });
  }

  /** A read that must succeed for a stored batch to be reported stored: asked again until the deadline. */
  private Future<RowSet<Row>> readBack(String sql, Tuple params, long deadline) {
    return pool.preparedQuery(sql).execute(params).recover(e -> System.currentTimeMillis() + COMMIT_CHECK_MS >= deadline
        ? Future.failedFuture(e)
        : delay(COMMIT_CHECK_MS).compose(v -> readBack(sql, params, deadline)));
  }

  private Future<Void> delay(long ms) {
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(ms, t -> later.complete());
    return later.future();
  }

  /** Deadlocks and lock timeouts roll the whole transaction back, so running it again is safe. */
  private Future<Void> storeWithRetry(Run run, Set<Integer> groups, long firstId, int attempt) {
    return pool.getConnection().compose(conn -> inTransaction(conn, run, groups, firstId).eventually(conn::close)).recover(e -> {
      if (run.committing && !(e instanceof MySQLException)) {
        // the connection broke while the COMMIT was on its way: it may have happened
        return committedAnyway(run);
      }
      run.committing = false;
      // ER_DUP_ENTRY: another node stored one of our (from, cmid) after our snapshot; the retry's
      // lookup sees it and answers that request as a duplicate
      boolean transientError = e instanceof MySQLException m
          && (m.getErrorCode() == SqlQueries.ER_LOCK_DEADLOCK || m.getErrorCode() == SqlQueries.ER_LOCK_WAIT_TIMEOUT
              || m.getErrorCode() == SqlQueries.ER_DUP_ENTRY);
      if (transientError && attempt < MAX_ATTEMPTS && !run.abandoned) {
        LOG.debug("batch of {} rolled back ({}); attempt {}", run.batch.size(), e.getMessage(), attempt + 1);
        return storeWithRetry(run, groups, firstId, attempt + 1);
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * The batch in one transaction. BEGIN is not awaited: the first reads follow it in the same
   * write (the connection pipelines), and the writes go only once BEGIN has succeeded, so that
   * nothing is ever written outside the transaction.
   */
  private Future<Void> inTransaction(SqlConnection conn, Run run, Set<Integer> groups, long firstId) {
    Future<Transaction> begun = conn.begin();
    Future<Void> work = store(conn, run.batch, groups, firstId, begun);
    return begun.compose(tx -> work.compose(v -> {
      if (run.abandoned) {
        return tx.rollback().transform(ar -> Future.<Void>failedFuture(new IllegalStateException("abandoned after a timeout: rolled back")));
      }
      run.committing = true;
      return tx.commit();
    }, e -> tx.rollback().transform(ar -> Future.<Void>failedFuture(e))), e -> work.transform(ar -> Future.<Void>failedFuture(e)));
  }

  /**
   * Whether a batch whose COMMIT got no answer was stored: its first message is there or not (a
   * batch is one transaction). Asked until the database answers, up to the batch's deadline, so
   * that a message is never refused and stored as well.
   */
  private Future<Void> committedAnyway(Run run) {
    Long firstMessage = run.batch.stream().filter(p -> p.refusal == null && p.result != null)
        .map(p -> p.result.getLong("messageId")).findFirst().orElse(null);
    if (firstMessage == null) {
      return Future.failedFuture(new IllegalStateException("nothing to commit"));
    }
    return readBack(SqlQueries.MESSAGE_EXISTS, Tuple.of(firstMessage), run.deadline()).transform(ar -> {
      if (ar.failed()) {
        LOG.warn("could not learn whether a commit happened before the deadline: reported as failed");
        return Future.failedFuture(ar.cause());
      }
      if (ar.result().iterator().next().getLong(0) == 0) {
        return Future.failedFuture(new IllegalStateException("the commit did not happen"));
      }
      LOG.info("a commit that got no answer was stored after all");
      return Future.succeededFuture();
    });
  }

  private Future<Void> store(SqlConnection conn, List<Pending> batch, Set<Integer> groups, long firstId, Future<Transaction> begun) {
    for (Pending p : batch) { // a retried transaction starts from scratch
      p.recipients.clear();
      p.refusal = null;
      p.result = null;
      p.stored = null;
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
    // the copies lookup and the recipients' locks go out together (one round trip): a request
    // found stored has its recipients locked for nothing, which changes no number. Copies are
    // settled before anything is refused, so a resend of a message stored before a block still
    // gets its original answer; blocks are checked once the recipients' rows are locked.
    return resolved.compose(v -> {
      Future<Void> copies = findStored(conn, batch);
      Future<Locked> locked = lockRecipients(conn, batch);
      return Future.all(begun, copies, locked).map(all -> locked.result());
    }).compose(locked -> refuseBlocked(conn, batch, locked.blockers())
        .compose(v -> refuseOverCap(conn, batch, locked.backlog()))
        .map(v -> locked.next()))
        .compose(next -> write(conn, batch, next, firstId));
  }

  /**
   * Marks the requests whose (from, cmid) is already stored. One statement, and only in batches
   * that carry cmids: classic traffic never pays for it. It runs after the membership check so
   * that a resend gets the original's answer even if the sender has left the group since.
   */
  private static Future<Void> findStored(SqlConnection conn, List<Pending> batch) {
    List<Pending> named = batch.stream().filter(p -> p.cmid != null && p.sameAs == null).toList();
    if (named.isEmpty()) {
      return Future.succeededFuture();
    }
    int pairs = SqlQueries.ceilPow2(named.size());
    Tuple params = Tuple.tuple();
    for (int i = 0; i < pairs; i++) {
      Pending p = named.get(Math.min(i, named.size() - 1)); // padding repeats the last pair harmlessly
      params.addValue(p.from()).addValue(p.cmid);
    }
    return conn.preparedQuery(SqlQueries.selectClientIds(pairs)).execute(params).map(rows -> {
      Map<ClientIds.Key, JsonObject> stored = new HashMap<>();
      for (Row r : rows) {
        stored.put(new ClientIds.Key(r.getInteger(0), r.getString(1)),
            ClientIds.duplicateOf(r.getLong(2), r.getLocalDateTime(3)));
      }
      for (Pending p : named) {
        JsonObject original = stored.get(new ClientIds.Key(p.from(), p.cmid));
        if (original != null) {
          p.stored = original;
          p.refusal = null;
          p.recipients.clear();
        }
      }
      return null;
    });
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
      if (p.group() == null || p.sameAs != null) {
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
   * A direct message whose recipient blocks its sender is refused (FORBIDDEN). Checked here, in
   * the transaction that stores it, because only the database is right on every node of a
   * cluster; it costs one statement per batch (primary-key lookups, a consistent read without
   * locks), not one per message, and none for batches of group messages only.
   */
  /**
   * Refuses the 1:1 messages whose recipient blocks the sender. The statement that locks the
   * recipients says which of them block anyone at all, so the pairs are read only for those: a
   * round trip more for every batch cost a third of the 1:1 throughput.
   */
  private static Future<Void> refuseBlocked(SqlConnection conn, List<Pending> batch, Set<Integer> blockers) {
    if (blockers.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Pending> direct = batch.stream().filter(p -> p.refusal == null && p.stored == null && p.sameAs == null && p.group() == null
        && blockers.contains(p.to())).toList();
    if (direct.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<Long> blocked = new HashSet<>();
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < direct.size(); from += BLOCK_CHUNK) {
      List<Pending> chunk = direct.subList(from, Math.min(direct.size(), from + BLOCK_CHUNK));
      int size = SqlQueries.ceilPow2(chunk.size());
      Tuple params = Tuple.tuple();
      for (int i = 0; i < size; i++) {
        Pending p = chunk.get(Math.min(i, chunk.size() - 1)); // padding repeats the last pair
        params.addValue(p.to()).addValue(p.body.getInteger("from"));
      }
      chain = chain.compose(v -> conn.preparedQuery(SqlQueries.selectBlocks(size)).execute(params).map(rows -> {
        rows.forEach(r -> blocked.add(pair(r.getInteger(0), r.getInteger(1))));
        return null;
      }));
    }
    return chain.map(v -> {
      for (Pending p : direct) {
        if (blocked.contains(pair(p.to(), p.body.getInteger("from")))) {
          p.refusal = ErrorCode.FORBIDDEN;
        }
      }
      return null;
    });
  }

  private static long pair(int user, int other) {
    return ((long) user << 32) | (other & 0xffffffffL);
  }

  /** What locking the recipients' rows told: each existing user's next sequence number, backlog, and who blocks anyone. */
  private record Locked(Map<Integer, Long> next, Map<Integer, Long> backlog, Set<Integer> blockers) {}

  /**
   * Locks and reads every recipient's row (with the delivered mark the inbox cap needs): one
   * statement per 1024 users, sent at once, in key order so that batches never deadlock.
   */
  private static Future<Locked> lockRecipients(SqlConnection conn, List<Pending> batch) {
    Locked locked = new Locked(new HashMap<>(), new HashMap<>(), new HashSet<>());
    List<Future<?>> sent = new ArrayList<>();
    for (List<Integer> chunk : chunks(new ArrayList<>(new TreeSet<>(recipients(batch))))) {
      sent.add(lockChunk(conn, chunk, locked.next(), locked.backlog(), locked.blockers()));
    }
    return Future.all(sent).map(locked);
  }

  /** Recipients of the requests still to be written (not refused, not duplicates), once per message. */
  private static List<Integer> recipients(List<Pending> batch) {
    List<Integer> all = new ArrayList<>();
    batch.stream().filter(Pending::open).forEach(p -> all.addAll(p.recipients));
    return all;
  }

  /** Sorted ids in chunks of SEQ_CHUNK, each padded to a power of two by repeating its last id. */
  private static List<List<Integer>> chunks(List<Integer> sorted) {
    List<List<Integer>> chunks = new ArrayList<>();
    for (int from = 0; from < sorted.size(); from += SEQ_CHUNK) {
      List<Integer> chunk = new ArrayList<>(sorted.subList(from, Math.min(sorted.size(), from + SEQ_CHUNK)));
      while (chunk.size() < SqlQueries.ceilPow2(chunk.size())) {
        chunk.add(chunk.get(chunk.size() - 1));
      }
      chunks.add(chunk);
    }
    return chunks;
  }

  private static Future<Void> lockChunk(SqlConnection conn, List<Integer> users, Map<Integer, Long> next, Map<Integer, Long> backlog,
      Set<Integer> blockers) {
    return conn.preparedQuery(SqlQueries.lockSeqs(users.size())).execute(Tuple.from(users)).map(rows -> {
      for (Row r : rows) {
        next.put(r.getInteger(0), r.getLong(1) + 1);
        backlog.put(r.getInteger(0), Math.max(0, r.getLong(1) - r.getLong(2)));
        if (r.getInteger(3) != 0) {
          blockers.add(r.getInteger(0));
        }
      }
      return null;
    });
  }

  private Future<Void> refuseOverCap(SqlConnection conn, List<Pending> batch, Map<Integer, Long> backlog) {
    List<Pending> live = batch.stream().filter(Pending::open).toList();
    List<InboxCap.Message> messages = live.stream()
        .map(p -> new InboxCap.Message(p.body.getInteger("from"), p.to(), p.recipients)).toList();
    return cap.refusals(conn, messages, backlog).map(refused -> {
      for (int i = 0; i < refused.length; i++) {
        if (refused[i]) {
          live.get(i).refusal = ErrorCode.LIMIT_REACHED;
        }
      }
      return null;
    });
  }

  /** CASE pairs (id, count), then the ids again for the WHERE; padding repeats an id harmlessly. */
  private static Tuple addSeqsParams(List<Integer> users, Map<Integer, Integer> counts) {
    Tuple add = Tuple.tuple();
    users.forEach(u -> add.addValue(u).addValue(counts.get(u)));
    users.forEach(add::addValue);
    return add;
  }

  /**
   * Adds to the recipients' sequences and inserts the messages and inbox rows: every statement is
   * sent at once (one round trip for the lot; the server runs them in order).
   */
  private Future<Void> write(SqlConnection conn, List<Pending> batch, Map<Integer, Long> nextSeq, long firstId) {
    Map<Integer, Integer> counts = new HashMap<>();
    recipients(batch).stream().filter(nextSeq::containsKey).forEach(r -> counts.merge(r, 1, Integer::sum));
    List<Future<?>> sent = new ArrayList<>();
    for (List<Integer> chunk : chunks(new ArrayList<>(new TreeSet<>(counts.keySet())))) {
      sent.add(conn.preparedQuery(SqlQueries.addSeqs(chunk.size())).execute(addSeqsParams(chunk, counts)));
    }
    sent.add(insert(conn, batch, nextSeq, firstId));
    return Future.all(sent).mapEmpty();
  }

  private Future<Void> insert(SqlConnection conn, List<Pending> batch, Map<Integer, Long> nextSeq, long firstId) {
    List<Pending> accepted = new ArrayList<>();
    for (Pending p : batch) {
      if (p.open() && p.group() == null && !nextSeq.containsKey(p.to())) {
        p.refusal = ErrorCode.NOT_FOUND;
      }
      if (p.open()) {
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
      messageRows.add(Tuple.of(messageId, p.from(), p.to(), p.group(), p.body.getString("text"),
          LocalDateTime.parse(p.body.getString("time")), p.cmid));
      JsonArray deliveries = new JsonArray();
      for (Integer user : p.recipients) {
        Long seq = nextSeq.get(user);
        if (seq != null) {
          nextSeq.put(user, seq + 1);
          deliveries.add(new JsonArray().add(user).add(seq));
          inbox.add(Tuple.of(user, seq, messageId));
        }
      }
      p.result = ClientIds.reply(messageId, p.body.getString("time"), false, deliveries);
      messageId++;
    }
    Future<Void> messages = MultiRow.pipeline(conn, messageRows, MESSAGE_CHUNK, SqlQueries::insertMessages);
    Future<Void> inboxRows = MultiRow.pipeline(conn, inbox, INBOX_CHUNK, SqlQueries::insertInbox);
    return Future.all(messages, inboxRows).mapEmpty();
  }

  /** What the sender is told: the reason in words (the code says it to programs). */
  private static String refusalText(Pending p) {
    boolean group = p.group() != null;
    return switch (p.refusal) {
      case NOT_FOUND -> group ? "no such group" : "no such user";
      case FORBIDDEN -> group ? "not a member of this group" : "the recipient does not accept your messages";
      case LIMIT_REACHED -> "the recipient has too many unread messages from people who are not friends";
      default -> p.refusal.name();
    };
  }
}
