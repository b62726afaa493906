package chat.gateway;

import chat.protocol.ChatMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which 1:1 messages a v2 login was sent and has not acked yet, by seq, so that an ack can tell
 * their senders (docs/protocol.md section 4, delivered receipts). Bounded: past {@code cap}
 * entries the lowest seqs are forgotten, and an ack covering them sends no receipt for them (a
 * receipt is at most once; the sender can still see the read cursor). Group messages are not
 * kept: a delivered receipt per member would cost a group's size per message.
 *
 * <p>Confined to the session's event loop.
 */
final class DeliveredReceipts {
  static final int DEFAULT_CAP = 10_000;

  private record Sent(long messageId, int from) {}

  private final int cap;
  private final int me;
  private final TreeMap<Long, Sent> unacked = new TreeMap<>();

  DeliveredReceipts(int me, int cap) {
    this.me = me;
    this.cap = cap;
  }

  /** A message written (or listed in a login reply or sync page) under {@code seq}. */
  void sent(long seq, ChatMessage m) {
    if (m.toGroup() || m.from() == me) {
      return;
    }
    unacked.put(seq, new Sent(m.id(), m.from()));
    if (unacked.size() > cap) {
      unacked.pollFirstEntry();
    }
  }

  /**
   * The client acked everything up to {@code seq}: the entries it covers are dropped, and each of
   * their senders is owed one receipt, for its highest message among them. Sender to message id.
   */
  Map<Integer, Long> acked(long seq) {
    Map<Integer, Long> receipts = new LinkedHashMap<>();
    Map<Long, Sent> covered = unacked.headMap(seq, true);
    for (Sent s : covered.values()) {
      receipts.merge(s.from(), s.messageId(), Math::max);
    }
    covered.clear();
    return receipts;
  }

  int size() {
    return unacked.size();
  }
}
