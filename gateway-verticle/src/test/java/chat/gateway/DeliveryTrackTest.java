package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.bus.Received;
import io.vertx.core.Future;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection's deliveries, acks, receipts and watermark, with the core on a fake port. */
class DeliveryTrackTest {
  private static final int ME = 7;
  private final DeliveryCoreTest.FakePort port = new DeliveryCoreTest.FakePort();
  private final List<Received> receipts = new ArrayList<>();
  private int moves;
  private final DeliveryTrack track = new DeliveryTrack(port, 1000, 1 << 20, () -> moves++, receipts::add);

  private static ChatMessage oneToOne(long id, int from) {
    return new ChatMessage(id, from, "u" + from, ME, null, "hi", LocalDateTime.of(2026, 1, 1, 0, 0));
  }

  private static ChatMessage toGroup(long id, int from) {
    return new ChatMessage(id, from, "u" + from, null, 3, "hi", LocalDateTime.of(2026, 1, 1, 0, 0));
  }

  /** Sends {@code m} under {@code seq} the way a login's live delivery does. */
  private void deliver(long seq, ChatMessage m) {
    track.accept(new Delivery(seq, m));
    track.sent(seq, m);
  }

  @Test
  void beforeAnyLoginNothingIsDeliveredOrReported() {
    track.accept(new Delivery(1, oneToOne(1, 2)));
    track.catchUp();
    track.stop();
    assertThat(port.written).isEmpty();
    assertThat(track.queued()).isZero();
    assertThat(track.loggedInOnce()).isFalse();
    assertThat(track.take()).isEqualTo(-1);
  }

  @Test
  void anAckMovesTheWatermarkOnceAndOwesEachSenderOneReceiptForItsLastMessage() {
    track.login(ME, true);
    track.start(0, false, Future.succeededFuture());
    deliver(1, oneToOne(100, 2));
    deliver(2, oneToOne(101, 2));
    deliver(3, toGroup(102, 4));
    deliver(4, oneToOne(103, 5));
    assertThat(port.written).containsExactly(1L, 2L, 3L, 4L);
    assertThat(track.watermark()).as("written is not acknowledged").isZero();

    track.ack(3);
    assertThat(moves).isEqualTo(1);
    assertThat(track.watermark()).isEqualTo(3);
    assertThat(receipts).containsExactly(new Received(ME, List.of(new Received.Covered(2, 101))));

    track.ack(3);
    assertThat(moves).as("the same ack again moves nothing").isEqualTo(1);
    assertThat(receipts).hasSize(1);
    track.ack(99);
    assertThat(track.watermark()).as("never past what was sent").isEqualTo(4);
    assertThat(receipts.get(1)).isEqualTo(new Received(ME, List.of(new Received.Covered(5, 103))));
  }

  @Test
  void anAckCoveringOnlyGroupMessagesMovesTheWatermarkWithoutReceipts() {
    track.login(ME, true);
    track.start(0, false, Future.succeededFuture());
    deliver(1, toGroup(50, 2));
    track.ack(1);
    assertThat(moves).isEqualTo(1);
    assertThat(receipts).isEmpty();
  }

  @Test
  void aClassicWatermarkIsWhatWasWrittenWithoutReceipts() {
    track.login(ME, false);
    track.start(0, false, Future.succeededFuture());
    deliver(1, oneToOne(100, 2));
    deliver(2, oneToOne(101, 2));
    assertThat(track.watermark()).isEqualTo(2);
    assertThat(receipts).isEmpty();
    assertThat(track.take()).isEqualTo(2);
    assertThat(track.take()).as("handed over once per move").isEqualTo(-1);
    track.unreport();
    assertThat(track.take()).as("again after a failed save").isEqualTo(2);
  }

  @Test
  void aStoppedLoginTakesNoMoreDeliveriesAndTheNextLoginStartsUnacknowledged() {
    track.login(ME, true);
    track.start(0, false, Future.succeededFuture());
    deliver(1, oneToOne(100, 2));
    track.ack(1);
    track.stop();
    track.accept(new Delivery(2, oneToOne(101, 2)));
    assertThat(port.written).containsExactly(1L);
    track.login(ME, true);
    assertThat(track.watermark()).isZero();
    assertThat(track.queued()).isZero();
    track.ack(1);
    assertThat(moves).as("nothing of the new login was sent yet").isEqualTo(1);
  }
}
