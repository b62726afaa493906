package chat.persistence;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The requests waiting for the next message batch, bounded by count and by text bytes. A stalled
 * database must not turn into unbounded heap: past the bound a request is refused at once, and
 * one whose sender stopped waiting (its deadline passed) is dropped instead of written late.
 * Used on one event loop only.
 */
final class StoreQueue<T> {
  private record Entry<T>(T item, long bytes, long deadline) {}

  private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
  private final int maxItems;
  private final long maxBytes;
  private long bytes;

  StoreQueue(int maxItems, long maxBytes) {
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /** False when the queue is full; an item alone larger than maxBytes still fits an empty queue. */
  boolean offer(T item, long itemBytes, long deadline) {
    if (entries.size() >= maxItems || (!entries.isEmpty() && bytes + itemBytes > maxBytes)) {
      return false;
    }
    entries.add(new Entry<>(item, itemBytes, deadline));
    bytes += itemBytes;
    return true;
  }

  /** The oldest item still within its deadline, or null; expired ones on the way go to {@code expired}. */
  T peekLive(long now, Consumer<T> expired) {
    while (!entries.isEmpty() && entries.peek().deadline() <= now) {
      expired.accept(remove());
    }
    return entries.isEmpty() ? null : entries.peek().item();
  }

  T poll() {
    return entries.isEmpty() ? null : remove();
  }

  /** Empties the queue, handing every item to {@code each}. */
  void drain(Consumer<T> each) {
    while (!entries.isEmpty()) {
      each.accept(remove());
    }
  }

  private T remove() {
    Entry<T> e = entries.poll();
    bytes -= e.bytes();
    return e.item();
  }

  int size() {
    return entries.size();
  }

  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }
}
