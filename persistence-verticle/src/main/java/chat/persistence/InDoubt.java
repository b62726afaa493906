package chat.persistence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The (sender, cmid) of messages told {@link StoreOutcome.Unknown} whose COMMIT has not answered
 * yet. A resend of one of them that cannot be written now is not refused (it may be stored
 * already): it is told the outcome is unknown too. Held only while the database owes an answer,
 * so it is bounded by the batches in flight (one pool connection each).
 */
final class InDoubt {
  private final Map<ClientIds.Key, Integer> keys = new HashMap<>();

  void add(List<Pending> entries) {
    for (Pending p : entries) {
      if (p.cmid() != null) {
        keys.merge(key(p), 1, Integer::sum);
      }
    }
  }

  void remove(List<Pending> entries) {
    for (Pending p : entries) {
      if (p.cmid() != null) {
        keys.computeIfPresent(key(p), (k, n) -> n == 1 ? null : n - 1);
      }
    }
  }

  boolean contains(Pending p) {
    return p.cmid() != null && keys.containsKey(key(p));
  }

  int size() {
    return keys.size();
  }

  private static ClientIds.Key key(Pending p) {
    return new ClientIds.Key(p.from(), p.cmid());
  }
}
