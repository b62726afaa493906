package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.bus.EpochRead;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.LoginLoad;
import chat.protocol.bus.Peer;
import chat.protocol.bus.Store;
import chat.protocol.bus.StoreReply;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's side of protocol v2, over the event bus of real nodes: a message is stored once
 * per (sender, cmid) whatever the timing, the epoch, sync pages and history.
 */
class V2StoreIT {
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  @Test
  void aResendIsStoredOnceAndGetsTheSameAnswer() throws Exception {
    int a = register("ra");
    int b = register("rb");
    String cmid = unique("c");
    JsonObject first = get(send(node, a, b, "hello", cmid));
    JsonObject again = get(send(node, a, b, "hello", cmid));
    assertThat(first.getBoolean("duplicate")).isFalse();
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat(again.getLong("messageId")).isEqualTo(first.getLong("messageId"));
    assertThat(again.getString("time")).isEqualTo(first.getString("time"));
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ? AND client_msg_id = ?", a, cmid)).isEqualTo(1);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b)).isEqualTo(1);
  }

  @Test
  void copiesInOneBatchCollapseAndClassicMessagesBesideThemAreUntouched() throws Exception {
    int a = register("ba");
    int b = register("bb");
    String x = unique("x");
    String y = unique("y");
    List<Future<JsonObject>> copiesOfX = new ArrayList<>();
    List<Future<JsonObject>> others = new ArrayList<>();
    // sent without waiting, so they queue while a batch runs and share the next one
    for (int i = 0; i < 6; i++) {
      copiesOfX.add(send(node, a, b, "x", x));
      others.add(send(node, a, b, "classic " + i, null));
      if (i % 3 == 0) {
        others.add(send(node, a, b, "y", y));
      }
    }
    Set<Long> xIds = new HashSet<>();
    int originals = 0;
    for (Future<JsonObject> f : copiesOfX) {
      JsonObject r = get(f);
      xIds.add(r.getLong("messageId"));
      originals += r.getBoolean("duplicate") ? 0 : 1;
    }
    Set<Long> otherIds = new HashSet<>();
    for (Future<JsonObject> f : others) {
      otherIds.add(get(f).getLong("messageId"));
    }
    assertThat(xIds).hasSize(1);
    assertThat(originals).isEqualTo(1);
    assertThat(otherIds).as("6 classic messages and one y").hasSize(7).doesNotContainAnyElementsOf(xIds);
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ?", a)).isEqualTo(8);
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ? AND client_msg_id IS NULL", a)).isEqualTo(6);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b)).isEqualTo(8);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ? AND message_id = ?", b, xIds.iterator().next())).isEqualTo(1);
  }

  @Test
  void aGroupMessageResentReachesEachMemberOnce() throws Exception {
    int owner = register("go");
    int member = register("gm");
    int group = createGroup(owner);
    Ask.chat(node, new GroupJoin(member, group));
    String cmid = unique("g");
    JsonObject first = get(groupSend(owner, group, cmid));
    JsonObject again = get(groupSend(owner, group, cmid));
    assertThat(again.getLong("messageId")).isEqualTo(first.getLong("messageId"));
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE group_id = ?", group)).isEqualTo(1);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", member)).isEqualTo(1);
  }

  @Test
  void withoutACmidEverySendIsANewMessage() throws Exception {
    int a = register("na");
    int b = register("nb");
    JsonObject one = get(send(node, a, b, "same", null));
    JsonObject two = get(send(node, a, b, "same", null));
    assertThat(one.getLong("messageId")).isNotEqualTo(two.getLong("messageId"));
    assertThat(one.getBoolean("duplicate")).isFalse();
    assertThat(two.getBoolean("duplicate")).isFalse();
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b)).isEqualTo(2);
  }

  @Test
  void aMalformedCmidIsRefused() throws Exception {
    int a = register("ma");
    int b = register("mb");
    // a cmid that is no string at all is refused by the gateway's frame parser (V2ProtocolIT)
    for (String bad : List.of("", "x".repeat(65), "ends with space ")) {
      Future<JsonObject> f = await(send(node, a, b, "m", bad));
      assertThat(code(f)).as("cmid %s", bad).isEqualTo(1004);
    }
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b)).isZero();
  }

  /**
   * Another node's transaction inserts the same (sender, cmid) and commits only after this
   * node's batch has read past it: the batch's INSERT waits on the key, fails with ER_DUP_ENTRY,
   * and the retried batch answers with the other node's message.
   */
  @Test
  void aConcurrentInsertElsewhereMakesTheBatchAnswerWithIt() throws Exception {
    int a = register("ca");
    int b = register("cb");
    String cmid = unique("race");
    long theirs = 9_000_000_000L + System.nanoTime() % 1_000_000_000L;
    try (Connection c = TestDatabase.get().jdbc()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO messages (id, sender_id, to_id, body, created_at, client_msg_id) VALUES (?, ?, ?, 'theirs', NOW(), ?)")) {
        ps.setLong(1, theirs);
        ps.setInt(2, a);
        ps.setInt(3, b);
        ps.setString(4, cmid);
        ps.executeUpdate();
      }
      long sent = System.currentTimeMillis();
      Future<JsonObject> ours = send(node, a, b, "ours", cmid);
      Thread.sleep(500);
      assertThat(ours.isComplete()).as("waits on the other transaction's key").isFalse();
      c.commit();
      JsonObject reply = get(ours);
      System.out.printf("concurrent insert elsewhere: answered after %d ms%n", System.currentTimeMillis() - sent);
      assertThat(reply.getLong("messageId")).isEqualTo(theirs);
      assertThat(reply.getBoolean("duplicate")).isTrue();
    }
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ? AND client_msg_id = ?", a, cmid)).isEqualTo(1);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b)).isZero();
  }

  @Test
  void twoNodesOnOneDatabaseStoreEachCmidOnce() throws Exception {
    int a = register("2a");
    int b = register("2b");
    List<String> cmids = new ArrayList<>();
    List<Future<JsonObject>> here = new ArrayList<>();
    List<Future<JsonObject>> there = new ArrayList<>();
    try (TestNode other = TestNode.start()) {
      for (int i = 0; i < 40; i++) {
        String cmid = unique("n" + i);
        cmids.add(cmid);
        here.add(send(node, a, b, "m" + i, cmid));
        there.add(send(other, a, b, "m" + i, cmid));
      }
      for (int i = 0; i < cmids.size(); i++) {
        JsonObject mine = get(here.get(i));
        JsonObject theirs = get(there.get(i));
        assertThat(mine.getLong("messageId")).isEqualTo(theirs.getLong("messageId"));
        assertThat(mine.getBoolean("duplicate") ^ theirs.getBoolean("duplicate")).as("exactly one stored it").isTrue();
      }
    }
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ?", a)).isEqualTo(40);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b)).isEqualTo(40);
    assertThat(Poll.number("SELECT COUNT(DISTINCT message_id) FROM inbox WHERE user_id = ?", b)).isEqualTo(40);
  }

  @Test
  void theEpochIsTheDatabasesAndOutlivesNodes() throws Exception {
    String epoch = get(ask(node, new EpochRead())).epoch();
    assertThat(epoch).isNotBlank();
    try (TestNode again = TestNode.start()) {
      assertThat(get(ask(again, new EpochRead())).epoch()).isEqualTo(epoch);
    }
    try (TestNode third = TestNode.start()) {
      assertThat(get(ask(third, new EpochRead())).epoch()).isEqualTo(epoch);
    }
    int user = register("ep");
    assertThat(get(ask(node, new LoginLoad(user, 5, false))).offline().epoch()).isEqualTo(epoch);
    assertThat(get(ask(node, new InboxPage(user, 0, 5))).epoch()).isEqualTo(epoch);
  }

  @Test
  void syncFromZeroPagesThroughTheWholeInboxAtMost500AtATime() throws Exception {
    int a = register("sa");
    int b = register("sb");
    int total = 620;
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      sends.add(send(node, a, b, "s" + i, i % 2 == 0 ? unique("s") : null));
    }
    for (Future<JsonObject> f : sends) {
      get(f);
    }
    InboxPage.Page first = page(b, 0, 10_000);
    assertThat(first.messages()).hasSize(500);
    assertThat(first.more()).isTrue();
    List<Long> seqs = new ArrayList<>();
    long after = 0;
    InboxPage.Page page;
    do {
      page = page(b, after, 200);
      for (Delivery d : page.messages()) {
        seqs.add(d.seq());
      }
      after = page.last();
    } while (page.more());
    assertThat(seqs).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(seqs.get(i)).isEqualTo(i + 1);
    }
    assertThat(code(await(ask(node, new InboxPage(b, -1, 5))))).isEqualTo(1013);
  }

  @Test
  void historyPagesBackwardsThroughBothDirectionsOfAConversation() throws Exception {
    int a = register("ha");
    int b = register("hb");
    int c = register("hc");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(get(send(node, a, b, "a" + i, null)).getLong("messageId"));
      ids.add(get(send(node, b, a, "b" + i, unique("h"))).getLong("messageId"));
      get(send(node, a, c, "not this one", null));
    }
    List<Long> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    for (int viewer : List.of(a, b)) {
      int other = viewer == a ? b : a;
      List<Long> seen = new ArrayList<>();
      Long before = null;
      HistoryPage.Page page;
      do {
        page = get(ask(node, new HistoryPage(viewer, Peer.user(other), before, 4)));
        List<ChatMessage> messages = page.messages();
        assertThat(messages.size()).isLessThanOrEqualTo(4);
        for (ChatMessage m : messages) {
          seen.add(m.id());
          before = m.id();
        }
      } while (page.more());
      assertThat(seen).as("history seen by %d", viewer).containsExactlyElementsOf(newestFirst);
    }
    ChatMessage newest = get(ask(node, new HistoryPage(b, Peer.user(a), null, 1))).messages().get(0);
    assertThat(newest.from()).isEqualTo(b);
    assertThat(newest.to()).isEqualTo(a);
    assertThat(newest.text()).isEqualTo("b4");
  }

  @Test
  void groupHistoryIsForMembersOnly() throws Exception {
    int owner = register("ho");
    int member = register("hm");
    int stranger = register("hs");
    int group = createGroup(owner);
    Ask.chat(node, new GroupJoin(member, group));
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(get(groupSend(i % 2 == 0 ? owner : member, group, unique("gh"))).getLong("messageId"));
    }
    HistoryPage.Page page = get(ask(node, new HistoryPage(member, Peer.group(group), null, 2)));
    assertThat(page.messages().stream().map(ChatMessage::id)).containsExactly(ids.get(2), ids.get(1));
    assertThat(page.more()).isTrue();
    HistoryPage.Page rest = get(ask(node, new HistoryPage(member, Peer.group(group), ids.get(1), 2)));
    assertThat(rest.messages().stream().map(ChatMessage::id)).containsExactly(ids.get(0));
    assertThat(rest.more()).isFalse();
    assertThat(code(await(ask(node, new HistoryPage(stranger, Peer.group(group), null, 50))))).isEqualTo(1007);
    assertThat(code(await(ask(node, new HistoryPage(owner, Peer.group(Integer.MAX_VALUE), null, 50))))).isEqualTo(1008);
  }

  private static InboxPage.Page page(int user, long after, int limit) throws Exception {
    return get(ask(node, new InboxPage(user, after, limit)));
  }

  private static Future<JsonObject> groupSend(int from, int group, String cmid) {
    return Ask.send(node.vertx.eventBus(), from, Peer.group(group), "to the group", cmid);
  }

  private static Future<JsonObject> send(TestNode on, int from, int to, String text, String cmid) {
    return Ask.send(on.vertx.eventBus(), from, Peer.user(to), text, cmid);
  }

  private static int register(String prefix) throws Exception {
    return Ask.chat(node, new chat.protocol.bus.Register(unique(prefix), "pw", null, Long.MAX_VALUE)).user();
  }

  private static int createGroup(int owner) throws Exception {
    return Ask.chat(node, new GroupCreate(owner, unique("g"), "")).group();
  }

  private static Future<JsonObject> call(TestNode on, String address, JsonObject body) {
    return on.vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }

  private static <R extends StoreReply> Future<R> ask(TestNode on, StoreRequest<R> request) {
    return Store.ask(on.vertx.eventBus(), request);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The future once it has completed, failed or not. */
  private static <T> Future<T> await(Future<T> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(20, TimeUnit.SECONDS);
    return f;
  }

  private static int code(Future<?> f) {
    assertThat(f.failed()).as("refused").isTrue();
    return ((ReplyException) f.cause()).failureCode();
  }
}
