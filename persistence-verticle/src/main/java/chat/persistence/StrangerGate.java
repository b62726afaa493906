package chat.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Messages to strangers per sender per minute (CHAT_STRANGER_MESSAGES_PER_MIN), decided before a
 * message joins a batch, so the store's rules (CheckedRules, store_direct) are untouched. A
 * stranger is who CHAT_STRANGER_BACKLOG means: a recipient who has not added the sender.
 *
 * <p>Whether a pair is friends is looked up once per {@link #CHECK_TTL_MS} (all pairs that come
 * up in one turn of the event loop in one statement). A message to a pair not known yet takes a
 * token and goes at once, and the token comes back if they turn out friends; only a sender out
 * of tokens waits for the lookup, so that messages to friends are never refused. Messages of one
 * pair keep their order: once one waits, later ones wait behind it. A friendship made or ended
 * can take {@link #CHECK_TTL_MS} to count.
 */
final class StrangerGate {
  static final long CHECK_TTL_MS = 10_000;
  /** Pairs remembered: senders and recipients are the attacker's to choose. */
  static final int MAX_PAIRS = 100_000;
  /** Senders whose quota is remembered. */
  static final int MAX_SENDERS = 100_000;
  private static final int PAIR_CHUNK = 256;

  /** Which of the (recipient, sender) pairs are friends rows (the recipient added the sender). */
  interface Lookup {
    Future<Set<Long>> friends(List<Long> pairs);

    /** Within {@code timeoutMs}: a lookup that never answers would hold its messages for ever. */
    static Lookup of(SqlClient client, long timeoutMs) {
      return pairs -> Bounded.run(timeoutMs, () -> {
        Set<Long> found = new HashSet<>();
        List<Tuple> keys = pairs.stream().map(p -> Tuple.of(recipient(p), sender(p))).toList();
        return MultiRow.queryPadded(client, keys, PAIR_CHUNK, SqlQueries::selectFriendships,
            r -> found.add(pair(r.getInteger(0), r.getInteger(1)))).map(found);
      });
    }
  }

  private record Known(boolean friend, long expires) {}

  /** What waits for a pair's lookup, in arrival order; once one message is held, all later ones are. */
  private static final class Waiters {
    final List<Runnable> after = new ArrayList<>(2);
    boolean holding;
  }

  private final SenderQuota quota;
  private final Lookup lookup;
  private final Timers timers;
  private final Map<Long, Known> known = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Known> eldest) {
      return size() > MAX_PAIRS;
    }
  };
  /** Pairs being looked up, each with what waits for the answer, in arrival order. */
  private final Map<Long, Waiters> waiting = new HashMap<>();
  /** Pairs for the lookup of this turn, or null when none is scheduled. */
  private List<Long> next;

  StrangerGate(SenderQuota quota, Lookup lookup, Timers timers) {
    this.quota = quota;
    this.lookup = lookup;
    this.timers = timers;
  }

  /** Runs {@code go} when a 1:1 message from {@code from} to {@code to} may be stored, {@code refuse} when not. */
  void admit(int from, int to, Runnable go, Runnable refuse) {
    if (from == to) {
      go.run(); // your own inbox is yours
      return;
    }
    long pair = pair(to, from);
    Waiters w = waiting.get(pair);
    if (w == null) {
      Known k = known.get(pair);
      if (k != null && k.expires() > timers.now()) {
        decide(from, pair, go, refuse);
        return;
      }
      known.remove(pair);
      w = new Waiters();
      waiting.put(pair, w);
      if (next == null) {
        next = new ArrayList<>();
        timers.later(this::lookUp);
      }
      next.add(pair);
    }
    if (!w.holding && quota.tryTake(from)) {
      w.after.add(() -> {
        if (friend(pair)) {
          quota.refund(from);
        }
      });
      go.run();
    } else {
      w.holding = true; // and every later message of the pair, to keep their order
      w.after.add(() -> decide(from, pair, go, refuse));
    }
  }

  /** A pair whose lookup failed counts as friends for that one message: a store in trouble is no spam. */
  private void decide(int from, long pair, Runnable go, Runnable refuse) {
    if (friend(pair) || quota.tryTake(from)) {
      go.run();
    } else {
      refuse.run();
    }
  }

  private boolean friend(long pair) {
    Known k = known.get(pair);
    return k == null || k.friend();
  }

  private void lookUp() {
    List<Long> pairs = next;
    next = null;
    lookup.friends(pairs).onComplete(ar -> {
      long expires = timers.now() + CHECK_TTL_MS;
      for (Long p : pairs) {
        if (ar.succeeded()) {
          known.put(p, new Known(ar.result().contains(p), expires));
        }
        Waiters w = waiting.remove(p);
        if (w != null) {
          w.after.forEach(Runnable::run);
        }
        if (ar.failed()) {
          known.remove(p);
        }
      }
    });
  }

  int pairsKnown() {
    return known.size();
  }

  static long pair(int recipient, int sender) {
    return ((long) recipient << 32) | (sender & 0xffffffffL);
  }

  private static int recipient(long pair) {
    return (int) (pair >>> 32);
  }

  private static int sender(long pair) {
    return (int) pair;
  }
}
