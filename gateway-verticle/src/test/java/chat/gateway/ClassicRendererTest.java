package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.GroupRole;
import chat.protocol.bus.Friend;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Person;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classic frames byte for byte as the C++ server wrote them (nlohmann's dump: keys in
 * alphabetical order, no spaces, times as "yyyy-MM-dd HH:mm:ss"), since classic clients parse
 * them as they are.
 */
class ClassicRendererTest {
  static final LocalDateTime AT = LocalDateTime.parse("2026-12-07T16:03:00");
  final ClassicRenderer renderer = new ClassicRenderer();

  @Test
  void aOneToOneMessage() {
    ChatMessage m = new ChatMessage(9, 1, "alice", 2, null, "hi \"bob\" 你好", AT);
    assertThat(renderer.chat(m))
        .isEqualTo("{\"id\":1,\"msg\":\"hi \\\"bob\\\" 你好\",\"msgid\":6,\"name\":\"alice\",\"time\":\"2026-12-07 16:03:00\",\"toid\":2}");
  }

  @Test
  void aGroupMessage() {
    ChatMessage m = new ChatMessage(9, 1, "alice", null, 5, "hello group", AT);
    assertThat(renderer.chat(m))
        .isEqualTo("{\"groupid\":5,\"id\":1,\"msg\":\"hello group\",\"msgid\":10,\"name\":\"alice\",\"time\":\"2026-12-07 16:03:00\"}");
  }

  @Test
  void aFanOutRendersOneMessageOnceAndTheNextAfresh() {
    ChatMessage first = new ChatMessage(9, 1, "alice", null, 5, "one", AT);
    ChatMessage second = new ChatMessage(10, 1, "alice", null, 5, "two", AT);
    String once = renderer.chat(first);
    assertThat(renderer.chat(first)).isSameAs(once);
    assertThat(renderer.chat(second)).contains("\"msg\":\"two\"").isNotSameAs(once);
  }

  @Test
  void theLoginAckWithFriendsGroupsAndOfflineMessages() {
    LoginSnapshot snapshot = new LoginSnapshot(1, "alice",
        List.of(new Friend(2, "bob", true, true), new Friend(3, "carol", false, false)),
        List.of(new Person(4, "dave")), List.of(),
        List.of(new GroupView(5, "team", "our team", List.of(
            new GroupView.Member(1, "alice", GroupRole.OWNER, true),
            new GroupView.Member(2, "bob", GroupRole.ADMIN, true),
            new GroupView.Member(3, "carol", GroupRole.MEMBER, false)))),
        new InboxPage.Page(List.of(new Delivery(1, new ChatMessage(7, 2, "bob", 1, null, "while away", AT))), 1, false, "e"),
        List.of(), "secret-token", "2026-12-08T00:00:00Z");
    assertThat(renderer.loginAck(snapshot).encode()).isEqualTo("{\"errno\":0,"
        + "\"friends\":[\"{\\\"id\\\":2,\\\"name\\\":\\\"bob\\\",\\\"state\\\":\\\"online\\\"}\","
        + "\"{\\\"id\\\":3,\\\"name\\\":\\\"carol\\\",\\\"state\\\":\\\"offline\\\"}\"],"
        + "\"groups\":[\"{\\\"groupdesc\\\":\\\"our team\\\",\\\"groupname\\\":\\\"team\\\",\\\"id\\\":5,\\\"users\\\":["
        + "\\\"{\\\\\\\"id\\\\\\\":1,\\\\\\\"name\\\\\\\":\\\\\\\"alice\\\\\\\",\\\\\\\"role\\\\\\\":\\\\\\\"creator\\\\\\\",\\\\\\\"state\\\\\\\":\\\\\\\"online\\\\\\\"}\\\","
        + "\\\"{\\\\\\\"id\\\\\\\":2,\\\\\\\"name\\\\\\\":\\\\\\\"bob\\\\\\\",\\\\\\\"role\\\\\\\":\\\\\\\"normal\\\\\\\",\\\\\\\"state\\\\\\\":\\\\\\\"online\\\\\\\"}\\\","
        + "\\\"{\\\\\\\"id\\\\\\\":3,\\\\\\\"name\\\\\\\":\\\\\\\"carol\\\\\\\",\\\\\\\"role\\\\\\\":\\\\\\\"normal\\\\\\\",\\\\\\\"state\\\\\\\":\\\\\\\"offline\\\\\\\"}\\\"]}\"],"
        + "\"id\":1,\"msgid\":2,\"name\":\"alice\","
        + "\"offlinemsg\":[\"{\\\"id\\\":2,\\\"msg\\\":\\\"while away\\\",\\\"msgid\\\":6,\\\"name\\\":\\\"bob\\\",\\\"time\\\":\\\"2026-12-07 16:03:00\\\",\\\"toid\\\":1}\"]}");
  }

  @Test
  void aLoginAckWithNothingLeavesTheListsOut() {
    LoginSnapshot snapshot = new LoginSnapshot(1, "alice", List.of(), List.of(), List.of(), List.of(),
        new InboxPage.Page(List.of(), 0, false, "e"), List.of(), null, null);
    assertThat(renderer.loginAck(snapshot).encode()).isEqualTo("{\"errno\":0,\"id\":1,\"msgid\":2,\"name\":\"alice\"}");
  }
}
