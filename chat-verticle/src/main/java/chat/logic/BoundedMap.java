package chat.logic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry beyond a capacity: attackers choose the keys
 * (account ids, addresses), so nothing keyed by them may grow without limit. Not thread-safe: one
 * event loop owns each instance.
 */
final class BoundedMap<K, V> extends LinkedHashMap<K, V> {
  private final int capacity;

  BoundedMap(int capacity) {
    super(16, 0.75f, true);
    this.capacity = capacity;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
