package chat.gateway;

import chat.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which 1:1 messages a v2 login was sent and has not acked yet, by seq, so that an ack can tell
 * their senders (docs/protocol.md section 4, delivered receipts). Bounded: past {@code cap}
 * entries the lowest seqs are forgotten, and an ack covering them sends no receipt for them (a
 * receipt is at most once; the sender can still see the read cursor). Group messages are not
 * kept: a delivered receipt per member would cost a group's size per message.
 *
 * <p>Seqs are written in increasing order, so entries are appended to a deque and acks take them
 * from its head (a TreeMap here was 5 % of the node's CPU at v2 saturation, with clients that do
 * not ack). A seq lower than the last one kept (a sync page re-listing older messages) is put in
 * its place.
 *
 * <p>Confined to the session's event loop.
 */
final class DeliveredReceipts {
  static final int DEFAULT_CAP = 10_000;

  private record Sent(long seq, long messageId, int from) {}

  private static final Comparator<Sent> BY_SEQ = Comparator.comparingLong(Sent::seq);

  private final int cap;
  private final int me;
  private ArrayDeque<Sent> unacked = new ArrayDeque<>();

  DeliveredReceipts(int me, int cap) {
    this.me = me;
    this.cap = cap;
  }

  /** A message written (or listed in a login reply or sync page) under {@code seq}. */
  void sent(long seq, ChatMessage m) {
    if (m.toGroup() || m.from() == me) {
      return;
    }
    Sent s = new Sent(seq, m.id(), m.from());
    if (unacked.isEmpty() || unacked.peekLast().seq() < seq) {
      unacked.addLast(s);
    } else {
      insert(s);
    }
    if (unacked.size() > cap) {
      unacked.pollFirst();
    }
  }

  private void insert(Sent s) {
    List<Sent> all = new ArrayList<>(unacked);
    int at = Collections.binarySearch(all, s, BY_SEQ);
    if (at >= 0) {
      all.set(at, s);
    } else {
      all.add(-at - 1, s);
    }
    unacked = new ArrayDeque<>(all);
  }

  /**
   * The client acked everything up to {@code seq}: the entries it covers are dropped, and each of
   * their senders is owed one receipt, for its highest message among them. Sender to message id.
   */
  Map<Integer, Long> acked(long seq) {
    Map<Integer, Long> receipts = new LinkedHashMap<>();
    while (!unacked.isEmpty() && unacked.peekFirst().seq() <= seq) {
      Sent s = unacked.pollFirst();
      receipts.merge(s.from(), s.messageId(), Math::max);
    }
    return receipts;
  }

  int size() {
    return unacked.size();
  }
}
