package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the v2 client remembers across reconnects, without a socket. */
class ReconnectBookkeepingTest {
  @Test
  void aMessageArrivingTwiceIsShownOnceWhateverTheOrder() {
    Inbox inbox = new Inbox(100);
    inbox.start(10, "e1");
    assertThat(inbox.take(10)).as("acked before this client ran").isFalse();
    assertThat(inbox.take(11)).isTrue();
    assertThat(inbox.take(13)).as("a live push overtaking a sync page").isTrue();
    assertThat(inbox.acked()).as("the ack waits for 12").isEqualTo(11);
    assertThat(inbox.take(12)).isTrue();
    assertThat(inbox.acked()).isEqualTo(13);
    // the login page and the sync after a reconnect repeat what was shown
    List<Long> shown = new ArrayList<>();
    for (long seq : new long[] {11, 12, 13, 14, 13, 14, 15}) {
      if (inbox.take(seq)) {
        shown.add(seq);
      }
    }
    assertThat(shown).containsExactly(14L, 15L);
    assertThat(inbox.acked()).isEqualTo(15);
  }

  @Test
  void aNewEpochForgetsTheNumbersSoTheClientSyncsFromZero() {
    Inbox inbox = new Inbox(100);
    assertThat(inbox.sameEpoch("e1")).as("the first epoch is adopted").isTrue();
    inbox.start(40, "e1");
    assertThat(inbox.sameEpoch("e1")).isTrue();
    assertThat(inbox.sameEpoch(null)).as("no epoch in a reply says nothing").isTrue();
    assertThat(inbox.acked()).isEqualTo(40);
    assertThat(inbox.sameEpoch("e2")).isFalse();
    assertThat(inbox.acked()).isZero();
    assertThat(inbox.epoch()).isEqualTo("e2");
    assertThat(inbox.take(1)).as("number 1 of the new store is new").isTrue();
  }

  @Test
  void aGapThatNeverFillsStopsHoldingNumbersAtTheBound() {
    Inbox inbox = new Inbox(3);
    inbox.start(0, "e");
    for (long seq = 2; seq <= 4; seq++) {
      assertThat(inbox.take(seq)).isTrue();
    }
    assertThat(inbox.ahead()).isEqualTo(3);
    assertThat(inbox.acked()).isZero();
    assertThat(inbox.take(5)).isTrue();
    assertThat(inbox.acked()).as("1 is given up; 2..5 are contiguous").isEqualTo(5);
    assertThat(inbox.ahead()).isZero();
    assertThat(inbox.take(1)).as("a late 1 is not shown after the gap was given up").isFalse();
  }

  @Test
  void unacknowledgedSendsKeepTheirCmidForTheResend() {
    Outbox outbox = new Outbox(2);
    JsonObject a = outbox.add(new JsonObject().put("user", 2), "one");
    JsonObject b = outbox.add(new JsonObject().put("group", 4), "two");
    assertThat(a.getString("cmid")).isNotEqualTo(b.getString("cmid")).hasSizeLessThanOrEqualTo(64);
    assertThat(a.getString("type")).isEqualTo("send");
    assertThat(outbox.add(new JsonObject().put("user", 2), "three")).as("the bound").isNull();
    assertThat(outbox.unacked()).extracting(m -> m.getString("cmid")).containsExactly(a.getString("cmid"), b.getString("cmid"));
    outbox.done(a.getString("cmid"));
    assertThat(outbox.unacked()).containsExactly(b);
    assertThat(outbox.add(new JsonObject().put("user", 2), "three")).as("room again").isNotNull();
    assertThat(new Outbox(5).add(new JsonObject().put("user", 2), "x").getString("cmid"))
        .as("another client run never reuses a cmid").isNotEqualTo(a.getString("cmid"));
  }

  @Test
  void aLostConnectionAnswersEveryWaitingRequestOnceAndTheBoundRefusesMore() {
    Pending pending = new Pending(2);
    List<JsonObject> replies = new ArrayList<>();
    String first = pending.add(replies::add);
    String second = pending.add(replies::add);
    assertThat(pending.add(replies::add)).isNull();
    pending.complete(new JsonObject().put("re", first).put("ok", true));
    pending.complete(new JsonObject().put("re", first).put("ok", true));
    pending.complete(new JsonObject().put("re", "nobody").put("ok", true));
    assertThat(replies).hasSize(1);
    pending.failAll("the connection was lost");
    assertThat(replies).hasSize(2);
    assertThat(Pending.isLost(replies.get(1))).isTrue();
    assertThat(pending.size()).isZero();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void reconnectsBackOffUpToTheCapWithJitter() {
    Backoff b = new Backoff(250, 2000);
    long[] bases = {250, 500, 1000, 2000, 2000};
    for (long base : bases) {
      assertThat(b.next()).isBetween(base - base / 5, base);
    }
    assertThat(b.attempts()).isEqualTo(5);
    b.reset();
    assertThat(b.next()).isBetween(200L, 250L);
  }
}
