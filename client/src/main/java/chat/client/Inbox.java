package chat.client;

import java.util.TreeSet;

/**
 * Which of the user's sequence numbers this client has shown, so that a message reaching it twice
 * (a login page, a sync after a reconnect and a live push may overlap) is shown once. Everything up
 * to {@link #acked()} has been shown; numbers above it that arrived early are remembered apart,
 * at most {@code maxAhead} of them. Pure: no socket, no thread.
 */
final class Inbox {
  static final int DEFAULT_MAX_AHEAD = 10_000;

  private final int maxAhead;
  private final TreeSet<Long> ahead = new TreeSet<>();
  private long acked;
  private String epoch;

  Inbox(int maxAhead) {
    this.maxAhead = maxAhead;
  }

  /** A fresh login: everything up to {@code seen} was dealt with before this client ran. */
  void start(long seen, String epoch) {
    ahead.clear();
    acked = Math.max(0, seen);
    this.epoch = epoch;
  }

  /** True the first time {@code seq} arrives: show it. */
  boolean take(long seq) {
    if (seq <= acked || !ahead.add(seq)) {
      return false;
    }
    advance();
    if (ahead.size() > maxAhead) {
      // a gap this old will not fill: count it as lost rather than hold numbers forever
      acked = ahead.pollFirst();
      advance();
    }
    return true;
  }

  private void advance() {
    while (!ahead.isEmpty() && ahead.first() == acked + 1) {
      acked = ahead.pollFirst();
    }
  }

  /** The highest number up to which everything was shown: what to ack and where to sync from. */
  long acked() {
    return acked;
  }

  int ahead() {
    return ahead.size();
  }

  String epoch() {
    return epoch;
  }

  /**
   * Checks the server's epoch. A different one means the store was replaced and its numbers start
   * over: forget ours (sync from 0) and return false. The first epoch seen is adopted.
   */
  boolean sameEpoch(String serverEpoch) {
    if (serverEpoch == null || serverEpoch.equals(epoch)) {
      return true;
    }
    if (epoch == null) {
      epoch = serverEpoch;
      return true;
    }
    start(0, serverEpoch);
    return false;
  }
}
