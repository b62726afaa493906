package chat.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Caps a recipient's undelivered backlog (last_seq - delivered seq) for direct messages, so that
 * nobody can fill another user's inbox: a sender the recipient has not added as a friend is
 * refused once the backlog reaches {@code strangerBacklog}, anyone once it reaches
 * {@code maxBacklog}. The sender adding the recipient does not count: anyone can do that.
 *
 * <p>Group messages are never refused here (groups have member caps), but they fill inboxes
 * too, so they count towards the backlog seen by the direct messages after them in the batch.
 *
 * <p>The friends table is read only for recipients whose backlog could reach the stranger cap
 * within this batch, so the common case costs no statement at all.
 */
final class InboxCap {
  /** Friendship pairs per statement: the batch has at most maxBatch direct messages anyway. */
  private static final int PAIR_CHUNK = 256;

  /** One request of the batch, in batch order; {@code to} is null for a group message. */
  record Message(int from, Integer to, List<Integer> recipients) {}

  /** A friends row: {@code user} added {@code friend}. */
  record Friendship(int user, int friend) {}

  private final long strangerBacklog;
  private final long maxBacklog;

  InboxCap(long strangerBacklog, long maxBacklog) {
    this.strangerBacklog = strangerBacklog;
    this.maxBacklog = maxBacklog;
  }

  /** A recipient whose backlog stays below this has no message refused, friend or not. */
  long lowest() {
    return Math.min(strangerBacklog, maxBacklog);
  }

  /**
   * Which messages to refuse, given each known recipient's backlog before the batch (unknown
   * users are absent and left to the caller). Reads friendships only when needed.
   */
  Future<boolean[]> refusals(SqlConnection conn, List<Message> batch, Map<Integer, Long> backlog) {
    Set<Friendship> check = toCheck(batch, backlog);
    if (check.isEmpty()) {
      return Future.succeededFuture(refusals(batch, backlog, Set.of()));
    }
    return existing(conn, new ArrayList<>(check)).map(friends -> refusals(batch, backlog, friends));
  }

  /**
   * The (recipient, sender) pairs whose friendship can decide a refusal. Counting every earlier
   * message of the batch as accepted gives an upper bound of each backlog, so no pair that the
   * exact pass asks about is missed.
   */
  Set<Friendship> toCheck(List<Message> batch, Map<Integer, Long> backlog) {
    Set<Friendship> check = new LinkedHashSet<>();
    Map<Integer, Long> added = new HashMap<>();
    for (Message m : batch) {
      if (m.to() != null) {
        Long before = backlog.get(m.to());
        if (before != null && before + added.getOrDefault(m.to(), 0L) >= strangerBacklog && m.from() != m.to()) {
          check.add(new Friendship(m.to(), m.from()));
        }
      }
      for (Integer r : m.recipients()) {
        added.merge(r, 1L, Long::sum);
      }
    }
    return check;
  }

  /** refused[i] for batch.get(i); only accepted messages add to the backlog of the next ones. */
  boolean[] refusals(List<Message> batch, Map<Integer, Long> backlog, Set<Friendship> friends) {
    boolean[] refused = new boolean[batch.size()];
    Map<Integer, Long> added = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Message m = batch.get(i);
      if (m.to() != null && backlog.containsKey(m.to())) {
        long b = backlog.get(m.to()) + added.getOrDefault(m.to(), 0L);
        // your own inbox is yours to fill, up to the hard cap
        boolean friend = m.from() == m.to() || friends.contains(new Friendship(m.to(), m.from()));
        refused[i] = b >= maxBacklog || (b >= strangerBacklog && !friend);
      }
      if (!refused[i]) {
        for (Integer r : m.recipients()) {
          added.merge(r, 1L, Long::sum);
        }
      }
    }
    return refused;
  }

  /** The pairs that exist in friends: a consistent read, no locks (a removal racing the batch counts as a friendship once). */
  private static Future<Set<Friendship>> existing(SqlConnection conn, List<Friendship> pairs) {
    Set<Friendship> found = new HashSet<>();
    List<Tuple> keys = pairs.stream().map(f -> Tuple.of(f.user(), f.friend())).toList();
    Future<Void> chain = MultiRow.queryPadded(conn, keys, PAIR_CHUNK, SqlQueries::selectFriendships,
        r -> found.add(new Friendship(r.getInteger(0), r.getInteger(1))));
    return chain.map(found);
  }
}
