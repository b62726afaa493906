package chat.persistence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Client message ids (v2 {@code cmid}): a message is stored once per (sender, cmid). Holds the
 * parts of that rule that need no database, so they can be tested on their own.
 */
final class ClientIds {
  static final int MAX_LENGTH = 64;

  /** A request's identity for deduplication. */
  record Key(int sender, String cmid) {}

  private ClientIds() {}

  /**
   * Why a cmid is unacceptable, or null when it is fine or absent. A trailing space is refused:
   * the column's collation pads (MariaDB and MySQL's utf8mb4_bin), so "a" and "a " would be one
   * key to the unique index and two to this code, and the batch could never settle the collision.
   */
  static String problem(Object cmid) {
    if (cmid == null) {
      return null;
    }
    if (!(cmid instanceof String s)) {
      return "cmid must be a string";
    }
    int length = s.codePointCount(0, s.length());
    if (length < 1 || length > MAX_LENGTH) {
      return "cmid must have 1 to " + MAX_LENGTH + " characters";
    }
    if (s.endsWith(" ")) {
      return "cmid must not end with a space";
    }
    return null;
  }

  /**
   * For each key, the index of the first earlier key equal to it, or -1 (first of its kind, or
   * null: no cmid). Later copies in one batch are answered with the first one's outcome.
   */
  static int[] firstOccurrences(List<Key> keys) {
    int[] first = new int[keys.size()];
    Map<Key, Integer> seen = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      Key k = keys.get(i);
      Integer earlier = k == null ? null : seen.putIfAbsent(k, i);
      first[i] = earlier == null ? -1 : earlier;
    }
    return first;
  }
}
