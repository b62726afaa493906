package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cap on a recipient's undelivered backlog: strangers stop at CHAT_STRANGER_BACKLOG, senders
 * the recipient added at CHAT_MAX_BACKLOG, and reading the inbox opens it again.
 */
class InboxCapIT {
  private static final int STRANGER = 5;
  private static final int MAX = 20;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("CHAT_STRANGER_BACKLOG", STRANGER)
        .put("CHAT_MAX_BACKLOG", MAX));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  @Test
  void strangersStopAtTheirCapFriendsAtTheMaximumAndReadingReopensTheInbox() throws Exception {
    String tag = unique("cap");
    try (ClassicClient alice = node.connect().register(unique("alice"));
        ClassicClient mallory = node.connect().register(unique("mallory"));
        ClassicClient bob = node.connect().register(unique("bob"))) {
      // alice stays offline; she added bob, mallory added her (which must not count)
      addFriend(alice.id, bob.id);
      mallory.loginOk();
      mallory.addFriend(alice.id);
      Poll.until("mallory's friend row", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ? AND friend_id = ?", mallory.id, alice.id) == 1);
      bob.loginOk();

      List<String> accepted = new ArrayList<>();
      for (int i = 0; i <= STRANGER; i++) {
        mallory.chat(alice.id, tag + "-s" + i);
      }
      assertRefused(mallory.next());
      accepted.addAll(texts(tag + "-s", 0, STRANGER));
      assertThat(storedFor(alice.id)).isEqualTo(STRANGER);
      assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE body = ?", tag + "-s" + STRANGER)).isZero();

      // the friend goes on up to the maximum; the stranger is still refused meanwhile
      int friendly = MAX - STRANGER;
      for (int i = 0; i <= friendly; i++) {
        bob.chat(alice.id, tag + "-f" + i);
      }
      assertRefused(bob.next());
      accepted.addAll(texts(tag + "-f", 0, friendly));
      mallory.chat(alice.id, tag + "-late");
      assertRefused(mallory.next());
      assertThat(storedFor(alice.id)).isEqualTo(MAX);
      assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE body IN (?, ?)", tag + "-f" + friendly, tag + "-late")).isZero();

      // alice logs in and reads everything once, in order; her delivered mark moves
      JsonObject ack = alice.loginOk();
      List<String> received = new ArrayList<>();
      decoded(ack, "offlinemsg").forEach(f -> received.add(f.getString("msg")));
      while (received.size() < MAX) {
        received.add(alice.next().getString("msg"));
      }
      assertThat(received).containsExactlyElementsOf(accepted);
      Poll.until("delivered mark", () -> Poll.number("SELECT seq FROM delivered WHERE user_id = ?", alice.id) == MAX);

      // the stranger may write again, online and, after she leaves, offline up to the cap
      mallory.chat(alice.id, tag + "-again");
      assertThat(alice.next().getString("msg")).isEqualTo(tag + "-again");
      Poll.until("delivered mark", () -> Poll.number("SELECT seq FROM delivered WHERE user_id = ?", alice.id) == MAX + 1);
      alice.close();
      Poll.until("alice signed off", () -> online() == 2); // mallory and bob
      for (int i = 0; i <= STRANGER; i++) {
        mallory.chat(alice.id, tag + "-o" + i);
      }
      assertRefused(mallory.next());
      assertThat(storedFor(alice.id)).isEqualTo(MAX + 1 + STRANGER);
      assertThat(mallory.drain(300)).isEmpty();
      assertThat(bob.drain(0)).isEmpty();
    }
  }

  @Test
  void groupMessagesAreNotCapped() throws Exception {
    try (ClassicClient owner = node.connect().register(unique("gowner"));
        ClassicClient member = node.connect().register(unique("gmember"))) {
      owner.loginOk();
      int group = Poll.createGroup(owner, unique("capless"));
      member.loginOk();
      Poll.joinGroup(member, group);
      member.logout();
      member.close();
      Poll.until("member signed off", () -> online() == 1); // the owner
      for (int i = 0; i < MAX + 5; i++) {
        owner.groupChat(group, "g" + i);
      }
      Poll.until("all stored", () -> storedFor(member.id) == MAX + 5);
      assertThat(owner.drain(300)).isEmpty();
    }
  }

  private static void assertRefused(JsonObject frame) {
    assertThat(frame.getInteger("msgid")).as("%s", frame).isEqualTo(99);
    assertThat(frame.getInteger("errno")).as("%s", frame).isEqualTo(1018);
  }

  private static List<String> texts(String prefix, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private static long storedFor(int user) throws Exception {
    return Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", user);
  }

  /** Users logged in to this test's own node. */
  private static int online() throws Exception {
    return Ask.chat(node, new chat.protocol.bus.ChatStatus()).online();
  }

  private static void addFriend(int user, int friend) throws Exception {
    Ask.chat(node, new chat.protocol.bus.AddFriend(user, friend));
  }
}
