package chat.persistence;

import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The statements of one checked transaction and the rules they apply in Java: group membership,
 * copies already stored, blocks, the inbox cap, then sequence numbers and inserts. store_direct
 * (sql/V13, V14) applies the same rules to 1:1 batches in SQL; StoreRulesIT (node tests) holds the
 * two to the same outcomes.
 */
final class CheckedRules {
  private static final int INBOX_CHUNK = 1024;
  private static final int MESSAGE_CHUNK = 256;
  private static final int BLOCK_CHUNK = 256;

  private final InboxCap cap;

  CheckedRules(InboxCap cap) {
    this.cap = cap;
  }

  Future<Void> store(SqlConnection conn, List<Pending> batch, Set<Integer> groups, long firstId, Future<Transaction> begun) {
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
      Future<RecipientLocks.Locked> locked = RecipientLocks.lock(conn, batch);
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
    List<Pending> named = batch.stream().filter(p -> p.cmid() != null && p.sameAs == null).toList();
    if (named.isEmpty()) {
      return Future.succeededFuture();
    }
    int pairs = SqlQueries.ceilPow2(named.size());
    Tuple params = Tuple.tuple();
    for (int i = 0; i < pairs; i++) {
      Pending p = named.get(Math.min(i, named.size() - 1)); // padding repeats the last pair harmlessly
      params.addValue(p.from()).addValue(p.cmid());
    }
    return conn.preparedQuery(SqlQueries.selectClientIds(pairs)).execute(params).map(rows -> {
      Map<ClientIds.Key, StoreOutcome.Stored> stored = new HashMap<>();
      for (Row r : rows) {
        stored.put(new ClientIds.Key(r.getInteger(0), r.getString(1)),
            new StoreOutcome.Stored(r.getLong(2), r.getLocalDateTime(3).toString(), true, List.of()));
      }
      for (Pending p : named) {
        StoreOutcome.Stored original = stored.get(new ClientIds.Key(p.from(), p.cmid()));
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
      int from = p.from();
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
   * Refuses (FORBIDDEN) the 1:1 messages whose recipient blocks the sender: checked here, in the
   * transaction that stores them, because only the database is right on every node of a cluster.
   * The statement that locks the recipients says which of them block anyone at all, so the pairs
   * are read only for those: a round trip more for every batch cost a third of the 1:1 throughput.
   */
  private static Future<Void> refuseBlocked(SqlConnection conn, List<Pending> batch, Set<Integer> blockers) {
    if (blockers.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Pending> direct = batch.stream().filter(p -> p.open() && p.group() == null && blockers.contains(p.to())).toList();
    if (direct.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<Long> blocked = new HashSet<>();
    List<Tuple> pairs = direct.stream().map(p -> Tuple.of(p.to(), p.from())).toList();
    Future<Void> chain = MultiRow.queryPadded(conn, pairs, BLOCK_CHUNK, SqlQueries::selectBlocks,
        r -> blocked.add(pair(r.getInteger(0), r.getInteger(1))));
    return chain.map(v -> {
      for (Pending p : direct) {
        if (blocked.contains(pair(p.to(), p.from()))) {
          p.refusal = ErrorCode.FORBIDDEN;
        }
      }
      return null;
    });
  }

  private static long pair(int user, int other) {
    return ((long) user << 32) | (other & 0xffffffffL);
  }

  private Future<Void> refuseOverCap(SqlConnection conn, List<Pending> batch, Map<Integer, Long> backlog) {
    List<Pending> live = batch.stream().filter(Pending::open).toList();
    List<InboxCap.Message> messages = live.stream().map(p -> new InboxCap.Message(p.from(), p.to(), p.recipients)).toList();
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
  private static Future<Void> write(SqlConnection conn, List<Pending> batch, Map<Integer, Long> nextSeq, long firstId) {
    Map<Integer, Integer> counts = new HashMap<>();
    RecipientLocks.recipients(batch).stream().filter(nextSeq::containsKey).forEach(r -> counts.merge(r, 1, Integer::sum));
    List<Future<?>> sent = new ArrayList<>();
    for (List<Integer> chunk : RecipientLocks.chunks(new ArrayList<>(new TreeSet<>(counts.keySet())))) {
      sent.add(conn.preparedQuery(SqlQueries.addSeqs(chunk.size())).execute(addSeqsParams(chunk, counts)));
    }
    sent.add(insert(conn, batch, nextSeq, firstId));
    return Future.all(sent).mapEmpty();
  }

  private static Future<Void> insert(SqlConnection conn, List<Pending> batch, Map<Integer, Long> nextSeq, long firstId) {
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
      Submission r = p.request;
      messageRows.add(Tuple.of(messageId, r.from(), r.to(), r.group(), r.text(), LocalDateTime.parse(r.time()), r.cmid()));
      List<StoreOutcome.Delivery> deliveries = new ArrayList<>();
      for (Integer user : p.recipients) {
        Long seq = nextSeq.get(user);
        if (seq != null) {
          nextSeq.put(user, seq + 1);
          deliveries.add(new StoreOutcome.Delivery(user, seq));
          inbox.add(Tuple.of(user, seq, messageId));
        }
      }
      p.result = new StoreOutcome.Stored(messageId, r.time(), false, deliveries);
      messageId++;
    }
    Future<Void> messages = MultiRow.pipeline(conn, messageRows, MESSAGE_CHUNK, SqlQueries::insertMessages);
    Future<Void> inboxRows = MultiRow.pipeline(conn, inbox, INBOX_CHUNK, SqlQueries::insertInbox);
    return Future.all(messages, inboxRows).mapEmpty();
  }
}
