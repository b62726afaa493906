package chat.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * User names by id, learnt from the friend list and from messages, so that a push naming only an
 * id (presence, receipts) can show who. At most {@code max}; the least recently used is forgotten.
 */
final class Names {
  static final int DEFAULT_MAX = 10_000;

  private final Map<Integer, String> names;

  Names(int max) {
    names = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
        return size() > max;
      }
    };
  }

  void put(Integer id, String name) {
    if (id != null && name != null) {
      names.put(id, name);
    }
  }

  /** The name, or null when unknown. */
  String get(int id) {
    return names.get(id);
  }

  int size() {
    return names.size();
  }
}
