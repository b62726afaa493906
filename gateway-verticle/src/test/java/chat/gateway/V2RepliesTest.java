package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ChatMessage;
import chat.protocol.GroupRole;
import chat.protocol.bus.Conversation;
import chat.protocol.bus.Friend;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Peer;
import chat.protocol.bus.Person;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The v2 reply bodies in the shapes docs/protocol.md gives them. */
class V2RepliesTest {
  private static final GroupView TEAM = new GroupView(4, "team", "our team", List.of(
      new GroupView.Member(1, "ann", GroupRole.OWNER, true), new GroupView.Member(2, "bob", GroupRole.ADMIN, false)));

  @Test
  void theLoginSnapshotGivesEachGroupTheUsersRoleAndAMembersCount() {
    LoginSnapshot snapshot = new LoginSnapshot(2, "bob", List.of(new Friend(1, "ann", true, true)), List.of(new Person(3, "cy")),
        List.of(), List.of(TEAM), new InboxPage.Page(List.of(), 17, true, "e-1"),
        List.of(new Conversation(Peer.group(4), 90, 80, 3)), "2.t.9.sig", "2026-12-14T10:00:00Z");
    JsonObject reply = V2Replies.login(snapshot, new JsonArray());
    assertThat(reply.getJsonArray("groups")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("id", 4).put("name", "team").put("desc", "our team").put("role", "admin").put("members", 2)));
    assertThat(reply.getJsonArray("friends"))
        .isEqualTo(new JsonArray().add(new JsonObject().put("id", 1).put("name", "ann").put("online", true)));
    assertThat(reply.getJsonObject("requests")).isEqualTo(new JsonObject()
        .put("incoming", new JsonArray().add(new JsonObject().put("id", 3).put("name", "cy"))).put("outgoing", new JsonArray()));
    assertThat(reply.getJsonArray("conversations")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("with", new JsonObject().put("group", 4)).put("last", 90L).put("read", 80L).put("unread", 3L)));
    assertThat(reply.getLong("seq")).isEqualTo(17);
    assertThat(reply.getBoolean("more")).isTrue();
    assertThat(reply.getString("epoch")).isEqualTo("e-1");
    assertThat(reply.getString("expires")).isEqualTo("2026-12-14T10:00:00Z");
  }

  @Test
  void onlyAFriendRequestSaysWhatItDid() {
    assertThat(V2Replies.friendChange(FriendChange.Kind.REQUEST, new FriendChange.Result(FriendChange.Outcome.ACCEPTED)))
        .isEqualTo(new JsonObject().put("outcome", "accepted"));
    assertThat(V2Replies.friendChange(FriendChange.Kind.REMOVE, new FriendChange.Result(FriendChange.Outcome.REMOVED)))
        .isEqualTo(new JsonObject());
    assertThat(V2Replies.friendLists(new FriendLists.Lists(List.of(new Person(1, "ann")), List.of(), List.of(), List.of(new Person(9, "z")))))
        .isEqualTo(new JsonObject().put("friends", new JsonArray().add(new JsonObject().put("id", 1).put("name", "ann")))
            .put("incoming", new JsonArray()).put("outgoing", new JsonArray())
            .put("blocked", new JsonArray().add(new JsonObject().put("id", 9).put("name", "z"))));
  }

  @Test
  void groupInfoListsMembersWithRolesAndTheListGivesTheUsersRole() {
    assertThat(V2Replies.groupInfo(new GroupInfo.Info("team", "d", TEAM.members()))).isEqualTo(new JsonObject()
        .put("name", "team").put("desc", "d").put("members", new JsonArray()
            .add(new JsonObject().put("id", 1).put("name", "ann").put("role", "owner"))
            .add(new JsonObject().put("id", 2).put("name", "bob").put("role", "admin"))));
    assertThat(V2Replies.groupList(new GroupList.Groups(List.of(new GroupList.Summary(4, "team", "d", GroupRole.MEMBER)))))
        .isEqualTo(new JsonObject().put("groups", new JsonArray()
            .add(new JsonObject().put("id", 4).put("name", "team").put("desc", "d").put("role", "member"))));
  }

  @Test
  void sendAndHistoryShowTimesAsIsoUtcWithTheirSeconds() {
    LocalDateTime local = LocalDateTime.of(2026, 12, 7, 12, 21, 0);
    String utc = local.atZone(ZoneId.systemDefault()).toInstant().toString().replace(".000", "");
    JsonObject sent = V2Replies.sent(new StoreMessage.Stored(42, local, true, java.util.List.of()));
    assertThat(sent).isEqualTo(new JsonObject().put("messageId", 42L).put("duplicate", true).put("time", sent.getString("time")));
    assertThat(sent.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ").isEqualTo(utc);
    ChatMessage m = new ChatMessage(42, 1, "ann", 2, null, "hi", local);
    JsonObject page = V2Replies.history(new HistoryPage.Page(List.of(m), false));
    assertThat(page.getBoolean("more")).isFalse();
    assertThat(page.getJsonArray("msgs").getJsonObject(0).getString("time")).isEqualTo(utc);
    assertThat(page.getJsonArray("msgs").getJsonObject(0).getJsonObject("to")).isEqualTo(new JsonObject().put("user", 2));
  }
}
