package chat.bench.closed;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pair's message in flight. It is over when everything it waits for has come: the delivery,
 * and with v2 the sender's ack too. The two arrive on different event loops (sender and
 * recipient connections), so whichever comes last, and only that one, starts the next message.
 */
final class Turn {
  private final AtomicInteger awaited = new AtomicInteger();

  /** A new message leaves: wait for {@code events} arrivals. */
  void begin(int events) {
    awaited.set(events);
  }

  /** True for exactly one caller: the arrival that ends the turn. */
  boolean arrived() {
    return awaited.decrementAndGet() == 0;
  }

  /** A refused send ends the turn at once; late arrivals of it are then ignored. */
  boolean abort() {
    return awaited.getAndSet(0) > 0;
  }
}
