package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Messages to strangers per sender per minute, with the lookups answered by hand. */
class StrangerGateTest {
  static final int ME = 1;
  static final int FRIEND = 2;

  final FakeTimers timers = new FakeTimers();
  /** (recipient, sender) pairs that are friends rows. */
  final Set<Long> friendsRows = new HashSet<>(Set.of(StrangerGate.pair(FRIEND, ME)));
  final List<List<Long>> lookups = new ArrayList<>();
  final List<Promise<Set<Long>>> answers = new ArrayList<>();
  final List<String> outcomes = new ArrayList<>();
  // 3 messages a minute to strangers
  final StrangerGate gate = new StrangerGate(new SenderQuota(3, 60_000, 100, timers::now), pairs -> {
    lookups.add(pairs);
    Promise<Set<Long>> p = Promise.promise();
    answers.add(p);
    return p.future();
  }, timers);

  void send(int from, int to, String name) {
    gate.admit(from, to, () -> outcomes.add(name + ":sent"), () -> outcomes.add(name + ":refused"));
  }

  /** Runs the lookup of this turn and answers it from {@link #friendsRows}. */
  void answerLookups() {
    timers.runLater();
    while (!answers.isEmpty()) {
      List<Long> asked = lookups.remove(0);
      Set<Long> found = new HashSet<>(asked);
      found.retainAll(friendsRows);
      answers.remove(0).complete(found);
    }
  }

  @Test
  void strangersPastTheQuotaAreRefusedOnceTheLookupSaysStrangers() {
    for (int to = 10; to < 16; to++) {
      send(ME, to, "s" + to);
    }
    assertThat(outcomes).as("three tokens: three go at once, the rest wait").containsExactly("s10:sent", "s11:sent", "s12:sent");
    answerLookups();
    assertThat(lookups).isEmpty();
    assertThat(outcomes).containsExactly("s10:sent", "s11:sent", "s12:sent", "s13:refused", "s14:refused", "s15:refused");
  }

  @Test
  void allPairsOfOneTurnAreLookedUpInOneStatement() {
    send(ME, 10, "a");
    send(ME, 11, "b");
    send(3, 10, "c");
    timers.runLater();
    assertThat(lookups).hasSize(1);
    assertThat(lookups.get(0)).hasSize(3);
  }

  @Test
  void friendsAreNeverRefusedAndTheirTokensComeBack() {
    for (int to = 10; to < 13; to++) {
      send(ME, to, "s" + to); // the quota is gone
    }
    for (int i = 0; i < 5; i++) {
      send(ME, FRIEND, "f" + i);
    }
    answerLookups();
    assertThat(outcomes).containsExactly("s10:sent", "s11:sent", "s12:sent", "f0:sent", "f1:sent", "f2:sent", "f3:sent", "f4:sent");
    // known now: no lookup, no wait
    send(ME, FRIEND, "f5");
    assertThat(outcomes).endsWith("f5:sent");
    timers.runLater();
    assertThat(lookups).isEmpty();
  }

  @Test
  void aTokenTakenForAFriendIsGivenBack() {
    send(ME, FRIEND, "f");
    answerLookups();
    for (int to = 10; to < 14; to++) {
      send(ME, to, "s" + to);
    }
    answerLookups();
    assertThat(outcomes).containsExactly("f:sent", "s10:sent", "s11:sent", "s12:sent", "s13:refused");
  }

  @Test
  void oneSendersLimitLeavesOtherSendersAlone() {
    for (int to = 10; to < 14; to++) {
      send(ME, to, "me" + to);
      send(3, to, "other" + to);
    }
    answerLookups();
    assertThat(outcomes).filteredOn(o -> o.endsWith("refused")).containsExactly("me13:refused", "other13:refused");
  }

  @Test
  void theQuotaRefillsOverTheMinute() {
    for (int to = 10; to < 14; to++) {
      send(ME, to, "s" + to);
    }
    answerLookups();
    timers.advance(20_000); // a third of a minute: one token
    send(ME, 13, "again");
    send(ME, 14, "more");
    answerLookups();
    assertThat(outcomes).endsWith("s13:refused", "again:sent", "more:refused");
  }

  @Test
  void messagesOfOnePairKeepTheirOrderBehindALookup() {
    for (int to = 10; to < 13; to++) {
      send(ME, to, "s" + to);
    }
    send(ME, FRIEND, "f1"); // waits: no token
    send(ME, 20, "x"); // another pair waits too
    send(ME, FRIEND, "f2"); // behind f1
    assertThat(outcomes).hasSize(3);
    answerLookups();
    assertThat(outcomes).containsSubsequence("f1:sent", "f2:sent");
    assertThat(outcomes).contains("x:refused");
  }

  @Test
  void aFailedLookupLetsTheMessageGoAndIsNotRemembered() {
    for (int to = 10; to < 13; to++) {
      send(ME, to, "s" + to);
    }
    send(ME, 20, "x");
    timers.runLater();
    int failed = answers.size();
    for (int i = 0; i < failed; i++) {
      lookups.remove(0);
      answers.remove(0).fail("database gone");
    }
    assertThat(outcomes).endsWith("x:sent");
    send(ME, 20, "y");
    timers.runLater();
    assertThat(lookups).as("asked again").hasSize(1);
  }

  @Test
  void writingToYourselfIsNeverCounted() {
    for (int i = 0; i < 10; i++) {
      send(ME, ME, "self" + i);
    }
    timers.runLater();
    assertThat(outcomes).hasSize(10).allMatch(o -> o.endsWith("sent"));
    assertThat(lookups).isEmpty();
  }

  @Test
  void aKnownStrangerIsAskedAgainAfterTheCheckExpires() {
    send(ME, 10, "a");
    answerLookups();
    timers.advance(StrangerGate.CHECK_TTL_MS - 1);
    send(ME, 10, "b");
    timers.runLater();
    assertThat(lookups).isEmpty();
    timers.advance(1);
    friendsRows.add(StrangerGate.pair(10, ME)); // it added me meanwhile
    send(ME, 10, "c");
    answerLookups();
    assertThat(outcomes).containsExactly("a:sent", "b:sent", "c:sent");
    // c's token came back, so one more stranger passes (1.5 tokens left, not 0.5)
    for (int to = 30; to < 33; to++) {
      send(ME, to, "s" + to);
    }
    answerLookups();
    assertThat(outcomes).filteredOn(o -> o.endsWith("refused")).containsExactly("s31:refused", "s32:refused");
  }
}
