package chat.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Locks and reads every recipient's row (with the delivered mark the inbox cap needs): one
 * statement per 1024 users, sent at once, in key order so that batches never deadlock.
 */
final class RecipientLocks {
  private static final int SEQ_CHUNK = 1024;

  /** What locking the recipients' rows told: each existing user's next sequence number, backlog, and who blocks anyone. */
  record Locked(Map<Integer, Long> next, Map<Integer, Long> backlog, Set<Integer> blockers) {}

  private RecipientLocks() {}

  static Future<Locked> lock(SqlConnection conn, List<Pending> batch) {
    Locked locked = new Locked(new HashMap<>(), new HashMap<>(), new HashSet<>());
    List<Future<?>> sent = new ArrayList<>();
    for (List<Integer> chunk : chunks(new ArrayList<>(new TreeSet<>(recipients(batch))))) {
      sent.add(lockChunk(conn, chunk, locked));
    }
    return Future.all(sent).map(locked);
  }

  /** Recipients of the requests still to be written (not refused, not duplicates), once per message. */
  static List<Integer> recipients(List<Pending> batch) {
    List<Integer> all = new ArrayList<>();
    batch.stream().filter(Pending::open).forEach(p -> all.addAll(p.recipients));
    return all;
  }

  /** Sorted ids in chunks of SEQ_CHUNK, each padded to a power of two by repeating its last id. */
  static List<List<Integer>> chunks(List<Integer> sorted) {
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

  private static Future<Void> lockChunk(SqlConnection conn, List<Integer> users, Locked locked) {
    return conn.preparedQuery(SqlQueries.lockSeqs(users.size())).execute(Tuple.from(users)).map(rows -> {
      for (Row r : rows) {
        locked.next().put(r.getInteger(0), r.getLong(1) + 1);
        locked.backlog().put(r.getInteger(0), Math.max(0, r.getLong(1) - r.getLong(2)));
        if (r.getInteger(3) != 0) {
          locked.blockers().add(r.getInteger(0));
        }
      }
      return null;
    });
  }
}
