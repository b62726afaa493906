package chat.gateway;

import java.util.function.LongSupplier;

/**
 * A connection's delivery watermark: what the next login resumes after, and whether it moved
 * since it was last handed over for saving. Classic clients do not acknowledge, so theirs is what
 * was written to them; a v2 client's is what it acknowledged, never past what it was sent.
 */
final class Watermark {
  private LongSupplier delivered = () -> 0;
  private LongSupplier queued = () -> 0;
  private boolean byAck;
  private long acked;
  /** The last value handed over for saving; kept across logins on one connection, as before. */
  private long reported;

  /** A login begins: {@code delivered} and {@code queued} are its delivery core's counts. */
  void start(LongSupplier delivered, LongSupplier queued, boolean byAck) {
    this.delivered = delivered;
    this.queued = queued;
    this.byAck = byAck;
    acked = 0;
  }

  long value() {
    return byAck ? acked : delivered.getAsLong();
  }

  /** A v2 ack of everything up to {@code seq}: true when it moved the watermark. */
  boolean ack(long seq) {
    long upTo = Math.min(seq, queued.getAsLong());
    if (upTo <= acked) {
      return false;
    }
    acked = upTo;
    return true;
  }

  long acked() {
    return acked;
  }

  /** The watermark to save, or -1 when it has not moved since the last one handed over. */
  long take() {
    long now = value();
    if (now <= reported) {
      return -1;
    }
    reported = now;
    return now;
  }

  /** The last one handed over was not saved: the next take hands the watermark over again. */
  void unreport() {
    reported = 0;
  }
}
