package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ChatMessage;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveredReceiptsTest {
  private static final int ME = 7;

  private static ChatMessage direct(long id, int from) {
    return new ChatMessage(id, from, "n", ME, null, "t", LocalDateTime.now());
  }

  @Test
  void anAckOwesEachSenderOneReceiptForItsHighestMessage() {
    DeliveredReceipts r = new DeliveredReceipts(ME, 100);
    r.sent(1, direct(10, 1));
    r.sent(2, direct(11, 2));
    r.sent(3, direct(12, 1));
    r.sent(4, direct(13, 1));
    assertThat(r.acked(3)).containsExactlyInAnyOrderEntriesOf(Map.of(1, 12L, 2, 11L));
    assertThat(r.acked(3)).as("at most once").isEmpty();
    assertThat(r.acked(4)).containsExactlyEntriesOf(Map.of(1, 13L));
    assertThat(r.size()).isZero();
  }

  @Test
  void groupMessagesAndOnesOwnAreNotKept() {
    DeliveredReceipts r = new DeliveredReceipts(ME, 100);
    r.sent(1, new ChatMessage(10, 1, "n", null, 5, "t", LocalDateTime.now()));
    r.sent(2, new ChatMessage(11, ME, "n", ME, null, "t", LocalDateTime.now()));
    assertThat(r.size()).isZero();
    assertThat(r.acked(2)).isEmpty();
  }

  @Test
  void pastTheCapTheLowestSeqsAreForgottenAndGetNoReceipt() {
    DeliveredReceipts r = new DeliveredReceipts(ME, 2);
    r.sent(1, direct(10, 1));
    r.sent(2, direct(11, 2));
    r.sent(3, direct(12, 3));
    assertThat(r.size()).isEqualTo(2);
    assertThat(r.acked(3)).containsOnlyKeys(2, 3);
  }

  @Test
  void theSameSeqListedTwiceCountsOnce() {
    DeliveredReceipts r = new DeliveredReceipts(ME, 100);
    r.sent(1, direct(10, 1));
    r.sent(1, direct(10, 1)); // a sync page repeating a push
    assertThat(r.size()).isEqualTo(1);
    assertThat(r.acked(1)).containsExactlyEntriesOf(Map.of(1, 10L));
  }

  @Test
  void aSyncPageListingOlderSeqsAfterALivePushKeepsThemInOrder() {
    DeliveredReceipts r = new DeliveredReceipts(ME, 100);
    r.sent(5, direct(15, 1));
    r.sent(2, direct(12, 2));
    r.sent(3, direct(13, 3));
    r.sent(5, direct(15, 1)); // listed again
    r.sent(6, direct(16, 2));
    assertThat(r.size()).isEqualTo(4);
    assertThat(r.acked(3)).containsExactlyInAnyOrderEntriesOf(Map.of(2, 12L, 3, 13L));
    assertThat(r.acked(5)).containsExactlyEntriesOf(Map.of(1, 15L));
    assertThat(r.acked(9)).containsExactlyEntriesOf(Map.of(2, 16L));
    assertThat(r.size()).isZero();
  }

  @Test
  void manySeqsInOrderStayBoundedByTheCap() {
    DeliveredReceipts r = new DeliveredReceipts(ME, 1000);
    for (long seq = 1; seq <= 50_000; seq++) {
      r.sent(seq, direct(seq + 100, (int) (seq % 5) + 1));
    }
    assertThat(r.size()).isEqualTo(1000);
    assertThat(r.acked(49_000)).isEmpty();
    assertThat(r.acked(50_000)).hasSize(5).containsEntry(1, 50_100L);
  }
}
