package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.persistence.InboxCap.Friendship;
import chat.persistence.InboxCap.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InboxCapTest {
  private static final int ALICE = 1;
  private static final int BOB = 2;
  private static final int MALLORY = 3;
  private final InboxCap cap = new InboxCap(5, 20);

  private static Message direct(int from, int to) {
    return new Message(from, to, List.of(to));
  }

  private static List<Message> times(int n, Message m) {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(m);
    }
    return out;
  }

  private static int refusedCount(boolean[] refused) {
    int n = 0;
    for (boolean r : refused) {
      n += r ? 1 : 0;
    }
    return n;
  }

  @Test
  void theLowerCapIsTheBacklogBelowWhichNothingIsRefused() {
    assertThat(cap.lowest()).isEqualTo(5);
    assertThat(new InboxCap(30, 20).lowest()).isEqualTo(20);
  }

  @Test
  void aSmallBacklogNeedsNoFriendshipLookupAndRefusesNothing() {
    List<Message> batch = List.of(direct(MALLORY, ALICE), direct(BOB, ALICE), direct(ALICE, BOB));
    Map<Integer, Long> backlog = Map.of(ALICE, 2L, BOB, 0L);
    assertThat(cap.toCheck(batch, backlog)).isEmpty();
    assertThat(refusedCount(cap.refusals(batch, backlog, Set.of()))).isZero();
  }

  @Test
  void aStrangerStopsAtTheStrangerCapCountingTheBatchItself() {
    List<Message> batch = times(8, direct(MALLORY, ALICE));
    Map<Integer, Long> backlog = Map.of(ALICE, 3L);
    assertThat(cap.toCheck(batch, backlog)).containsExactly(new Friendship(ALICE, MALLORY));
    boolean[] refused = cap.refusals(batch, backlog, Set.of());
    // backlog 3 and 4 still pass, the third message would make the sixth undelivered one
    assertThat(refused).containsExactly(false, false, true, true, true, true, true, true);
  }

  @Test
  void aSenderTheRecipientAddedGoesOnToTheHardCap() {
    List<Message> batch = times(10, direct(BOB, ALICE));
    Map<Integer, Long> backlog = Map.of(ALICE, 15L);
    Set<Friendship> friends = Set.of(new Friendship(ALICE, BOB));
    assertThat(cap.toCheck(batch, backlog)).containsExactly(new Friendship(ALICE, BOB));
    assertThat(refusedCount(cap.refusals(batch, backlog, friends))).isEqualTo(5);
  }

  @Test
  void theSenderAddingTheRecipientDoesNotCount() {
    Map<Integer, Long> backlog = Map.of(ALICE, 5L);
    Set<Friendship> onlyMalloryAddedAlice = Set.of(new Friendship(MALLORY, ALICE));
    assertThat(cap.refusals(List.of(direct(MALLORY, ALICE)), backlog, onlyMalloryAddedAlice)).containsExactly(true);
  }

  @Test
  void refusedMessagesDoNotFillTheInboxForTheFriendBehindThem() {
    // two strangers refused, then a friend: counted from the accepted backlog only
    List<Message> batch = List.of(direct(MALLORY, ALICE), direct(MALLORY, ALICE), direct(BOB, ALICE));
    boolean[] refused = cap.refusals(batch, Map.of(ALICE, 19L), Set.of(new Friendship(ALICE, BOB)));
    assertThat(refused).containsExactly(true, true, false);
  }

  @Test
  void groupMessagesAreNeverRefusedButCountTowardsTheBacklog() {
    Message group = new Message(BOB, null, List.of(ALICE, MALLORY));
    List<Message> batch = List.of(group, group, direct(MALLORY, ALICE), group);
    Map<Integer, Long> backlog = Map.of(ALICE, 3L, MALLORY, 100L);
    assertThat(cap.toCheck(batch, backlog)).containsExactly(new Friendship(ALICE, MALLORY));
    assertThat(cap.refusals(batch, backlog, Set.of())).containsExactly(false, false, true, false);
  }

  @Test
  void unknownRecipientsAreLeftToTheCaller() {
    List<Message> batch = times(30, direct(MALLORY, 99));
    assertThat(cap.toCheck(batch, Map.of())).isEmpty();
    assertThat(refusedCount(cap.refusals(batch, Map.of(), Set.of()))).isZero();
  }

  @Test
  void yourOwnInboxIsCappedOnlyByTheHardCap() {
    List<Message> batch = times(3, direct(ALICE, ALICE));
    Map<Integer, Long> backlog = Map.of(ALICE, 18L);
    assertThat(cap.toCheck(batch, backlog)).isEmpty();
    assertThat(cap.refusals(batch, backlog, Set.of())).containsExactly(false, false, true);
  }
}
