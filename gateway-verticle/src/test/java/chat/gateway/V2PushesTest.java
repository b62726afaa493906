package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.GroupRole;
import chat.protocol.bus.FriendEvent;
import chat.protocol.bus.GroupChange;
import chat.protocol.bus.Peer;
import chat.protocol.bus.PresenceChange;
import chat.protocol.bus.Receipt;
import chat.protocol.bus.TypingNotice;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Each push in the shape docs/protocol.md gives it (sections 4 to 6). */
class V2PushesTest {
  private static JsonObject render(chat.protocol.bus.Push push) {
    return push.render(V2Pushes.INSTANCE);
  }

  @Test
  void friendEventsSayWhatHappenedAndWhoDidIt() {
    assertThat(render(new FriendEvent(FriendEvent.Kind.REQUEST, 1, "me")))
        .isEqualTo(new JsonObject().put("type", "friend").put("event", "request").put("user", 1).put("name", "me"));
    assertThat(render(new FriendEvent(FriendEvent.Kind.REMOVED, 1, "me")).getString("event")).isEqualTo("removed");
  }

  @Test
  void presenceAndTyping() {
    assertThat(render(new PresenceChange(4, false)))
        .isEqualTo(new JsonObject().put("type", "presence").put("user", 4).put("online", false));
    assertThat(render(new TypingNotice(1, Peer.group(9))))
        .isEqualTo(new JsonObject().put("type", "typing").put("user", 1).put("with", new JsonObject().put("group", 9)));
    assertThat(render(new TypingNotice(1, Peer.user(1))).getJsonObject("with")).isEqualTo(new JsonObject().put("user", 1));
  }

  @Test
  void receiptsNameTheConversationAsTheSenderSeesIt() {
    assertThat(render(new Receipt(Receipt.Kind.DELIVERED, 42, 1874))).isEqualTo(new JsonObject().put("type", "receipt")
        .put("kind", "delivered").put("by", 42).put("with", new JsonObject().put("user", 42)).put("upto", 1874L));
    assertThat(render(new Receipt(Receipt.Kind.READ, 42, 7)).getString("kind")).isEqualTo("read");
  }

  @Test
  void groupChangesCarryARoleOnlyWhenThereIsOne() {
    assertThat(render(new GroupChange(GroupChange.Kind.ROLE, 77, 2, GroupRole.OWNER))).isEqualTo(new JsonObject()
        .put("type", "group").put("event", "role").put("group", 77).put("user", 2).put("role", "owner"));
    assertThat(render(new GroupChange(GroupChange.Kind.KICKED, 77, 2, null)))
        .isEqualTo(new JsonObject().put("type", "group").put("event", "kicked").put("group", 77).put("user", 2));
  }
}
