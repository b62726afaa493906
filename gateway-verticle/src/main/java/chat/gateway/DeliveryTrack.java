package chat.gateway;

import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.bus.Received;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What was delivered on one connection: the current login's {@link DeliveryCore} (order and
 * backlog), its {@link Watermark} (what the next login resumes after) and, for a client that
 * acknowledges, its {@link DeliveredReceipts}. An ack moves the watermark and owes the senders it
 * newly covers a receipt each; a moved watermark is to be saved soon. No socket here: the core
 * reaches the connection through its port.
 *
 * <p>Confined to the connection's event loop.
 */
final class DeliveryTrack {
  private final DeliveryCore.Port port;
  private final long gapWaitMs;
  private final long maxHeldBytes;
  /** The watermark moved: it is to be saved soon. */
  private final Runnable moved;
  /** Delivered receipts for the senders of the 1:1 messages an ack covered (at most once). */
  private final Consumer<Received> receipted;
  private final Watermark watermark = new Watermark();
  private int user;
  /** Order and backlog of the current login; null before the first login. */
  private DeliveryCore core;
  /** For a client that acknowledges: the 1:1 messages sent and not yet acked. */
  private DeliveredReceipts receipts;

  DeliveryTrack(DeliveryCore.Port port, long gapWaitMs, long maxHeldBytes, Runnable moved, Consumer<Received> receipted) {
    this.port = port;
    this.gapWaitMs = gapWaitMs;
    this.maxHeldBytes = maxHeldBytes;
    this.moved = moved;
    this.receipted = receipted;
  }

  /** A login begins: a new core; the watermark starts over (what was reported stays, as before). */
  void login(int user, boolean acknowledges) {
    this.user = user;
    DeliveryCore started = new DeliveryCore(port, gapWaitMs, maxHeldBytes);
    core = started;
    watermark.start(started::delivered, started::queued, acknowledges);
    receipts = acknowledges ? new DeliveredReceipts(user, DeliveredReceipts.DEFAULT_CAP) : null;
  }

  /** The login snapshot, which carried the inbox up to {@code last}, is being written. */
  void start(long last, boolean more, Future<Void> written) {
    core.start(last, more, written);
  }

  boolean loggedInOnce() {
    return core != null;
  }

  /** A live delivery, in any order (the core sorts it out). */
  void accept(Delivery d) {
    if (core != null) {
      core.accept(d);
    }
  }

  /** Reads the inbox for what a missed publish left out. */
  void catchUp() {
    if (core != null) {
      core.catchUp();
    }
  }

  /** The login ends: nothing more is written for it. */
  void stop() {
    if (core != null) {
      core.stop();
    }
  }

  /** The highest seq handed to the connection (or carried by the login snapshot). */
  long queued() {
    return core == null ? 0 : core.queued();
  }

  /** The watermark: what the next login resumes after. */
  long watermark() {
    return watermark.value();
  }

  /** A message under {@code seq} is on its way to the client (a push, the login reply, a sync page). */
  void sent(long seq, ChatMessage m) {
    if (receipts != null) {
      receipts.sent(seq, m);
    }
  }

  /**
   * The client processed everything up to {@code seq}: that is its watermark (never past what it
   * was sent). The senders of the 1:1 messages it newly covers get a delivered receipt each.
   */
  void ack(long seq) {
    if (!watermark.ack(seq)) {
      return;
    }
    moved.run();
    if (receipts == null) {
      return;
    }
    Map<Integer, Long> bySender = receipts.acked(watermark.acked());
    if (!bySender.isEmpty()) {
      List<Received.Covered> covered = new ArrayList<>();
      bySender.forEach((sender, messageId) -> covered.add(new Received.Covered(sender, messageId)));
      receipted.accept(new Received(user, covered));
    }
  }

  /** The watermark to save, or -1 when it has not moved since the last one handed over. */
  long take() {
    return watermark.take();
  }

  /** The last one handed over was not saved: the next take hands it over again. */
  void unreport() {
    watermark.unreport();
  }
}
