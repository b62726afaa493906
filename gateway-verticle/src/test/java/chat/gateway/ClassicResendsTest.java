package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import chat.protocol.ProtocolException;
import chat.protocol.bus.Peer;
import org.junit.jupiter.api.Test;

/** Implicit cmids of classic sends: a resend of an unknown outcome reuses its cmid, within count and age. */
class ClassicResendsTest {
  private final ClassicResends resends = new ClassicResends(2, 60_000);
  private long now = 1_000;

  private ClassicResends.Send unknown(int sender, Peer to, String text) {
    ClassicResends.Send s = resends.begin(sender, to, text, now);
    resends.answered(s, true, now);
    return s;
  }

  @Test
  void everySendGetsAFreshCmidThatTheStoreAccepts() {
    String a = resends.begin(1, Peer.user(2), "hi", now).cmid();
    String b = resends.begin(1, Peer.user(2), "hi", now).cmid();
    assertThat(a).isNotEqualTo(b).startsWith("classic-");
    assertThat(a.length()).isBetween(9, 64);
  }

  @Test
  void aResendOfAnUnknownOutcomeReusesItsCmidUntilItIsSettled() {
    ClassicResends.Send first = unknown(1, Peer.user(2), "hi");
    ClassicResends.Send again = resends.begin(1, Peer.user(2), "hi", now + 1_000);
    assertThat(again.cmid()).isEqualTo(first.cmid());
    assertThat(resends.begin(1, Peer.user(3), "hi", now).cmid()).as("another recipient").isNotEqualTo(first.cmid());
    assertThat(resends.begin(1, Peer.group(2), "hi", now).cmid()).as("a group of the same id").isNotEqualTo(first.cmid());
    assertThat(resends.begin(4, Peer.user(2), "hi", now).cmid()).as("another sender").isNotEqualTo(first.cmid());
    assertThat(resends.begin(1, Peer.user(2), "hi!", now).cmid()).as("another text").isNotEqualTo(first.cmid());
    resends.answered(again, false, now + 1_000); // stored (or a duplicate of the original): settled
    assertThat(resends.size()).isZero();
    assertThat(resends.begin(1, Peer.user(2), "hi", now + 2_000).cmid()).as("the same text later is a new message")
        .isNotEqualTo(first.cmid());
  }

  @Test
  void anotherSendOfTheSameTextSettlingLeavesTheUnknownOneRemembered() {
    ClassicResends.Send inFlight = resends.begin(1, Peer.user(2), "hi", now);
    ClassicResends.Send first = unknown(1, Peer.user(2), "hi");
    resends.answered(inFlight, false, now);
    assertThat(resends.begin(1, Peer.user(2), "hi", now).cmid()).isEqualTo(first.cmid());
  }

  @Test
  void theMemoryIsBoundedByCountOldestFirst() {
    ClassicResends.Send a = unknown(1, Peer.user(2), "a");
    now += 1;
    ClassicResends.Send b = unknown(1, Peer.user(2), "b");
    now += 1;
    ClassicResends.Send c = unknown(1, Peer.user(2), "c");
    assertThat(resends.size()).isEqualTo(2);
    assertThat(resends.begin(1, Peer.user(2), "a", now).cmid()).as("forgotten").isNotEqualTo(a.cmid());
    assertThat(resends.begin(1, Peer.user(2), "b", now).cmid()).isEqualTo(b.cmid());
    assertThat(resends.begin(1, Peer.user(2), "c", now).cmid()).isEqualTo(c.cmid());
  }

  @Test
  void theMemoryIsBoundedByAge() {
    ClassicResends.Send a = unknown(1, Peer.user(2), "a");
    assertThat(resends.begin(1, Peer.user(2), "a", now + 59_999).cmid()).isEqualTo(a.cmid());
    assertThat(resends.begin(1, Peer.user(2), "a", now + 60_000).cmid()).isNotEqualTo(a.cmid());
    assertThat(resends.size()).isZero();
  }

  @Test
  void noMemoryAtAllWhenItsSizeIsZero() {
    ClassicResends none = new ClassicResends(0, 60_000);
    ClassicResends.Send s = none.begin(1, Peer.user(2), "a", now);
    none.answered(s, true, now);
    assertThat(none.size()).isZero();
  }

  @Test
  void onlyAnUnknownOutcomeIsRememberedAndGetsNoFrame() {
    ClassicResends.Send refused = resends.begin(1, Peer.user(2), "a", now);
    assertThat(resends.answered(refused, new ProtocolException(ErrorCode.UNAVAILABLE, "not stored"), now)).isFalse();
    ClassicResends.Send stored = resends.begin(1, Peer.user(2), "b", now);
    assertThat(resends.answered(stored, null, now)).isFalse();
    assertThat(resends.size()).isZero();
    ClassicResends.Send unknown = resends.begin(1, Peer.user(2), "c", now);
    assertThat(resends.answered(unknown, new ProtocolException(ErrorCode.OUTCOME_UNKNOWN, "maybe"), now)).isTrue();
    assertThat(resends.begin(1, Peer.user(2), "c", now).cmid()).isEqualTo(unknown.cmid());
  }
}
