package chat.gateway;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When the sends of recent messages arrived (System.nanoTime), by message id, so that a delivery
 * made in the same JVM can tell how long the message took: {@code ChatMessage.time} is to the
 * second. A fixed ring, written by the sender's event loop and read by any gateway's: a slot
 * overwritten by a later message, or being written, misses a sample but never gives a wrong one
 * (the id is cleared before the stamp changes and checked again after it is read).
 */
final class SendStamps {
  static final int DEFAULT_SLOTS = 4096;

  private final AtomicLongArray ids;
  private final AtomicLongArray stamps;
  private final int mask;

  /** {@code slots}: a power of two. */
  SendStamps(int slots) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    ids = new AtomicLongArray(slots);
    stamps = new AtomicLongArray(slots);
    mask = slots - 1;
  }

  void put(long id, long stampNanos) {
    int i = slot(id);
    ids.set(i, 0);
    stamps.set(i, stampNanos);
    ids.set(i, id);
  }

  /** The stamp of message {@code id}, or 0 when it is not (or no longer) known here. */
  long get(long id) {
    int i = slot(id);
    if (id == 0 || ids.get(i) != id) {
      return 0;
    }
    long stamp = stamps.get(i);
    return ids.get(i) == id ? stamp : 0;
  }

  private int slot(long id) {
    return (int) (id & mask);
  }
}
