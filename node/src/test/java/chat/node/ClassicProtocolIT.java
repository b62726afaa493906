package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every classic message end to end, over TCP, against a real MariaDB. */
class ClassicProtocolIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  private ClassicClient user(String prefix) throws Exception {
    return node.connect().register(unique(prefix));
  }

  @Test
  void registerGivesAnIdAndRefusesATakenName() throws Exception {
    try (ClassicClient a = user("reg")) {
      assertThat(a.id).isPositive();
      a.send(new JsonObject().put("msgid", 4).put("name", a.name).put("password", "x"));
      assertThat(a.next().encode()).isEqualTo("{\"errno\":1,\"msgid\":5}");
      a.send(new JsonObject().put("msgid", 4).put("name", "").put("password", "x"));
      assertThat(a.next().getInteger("errno")).isEqualTo(1);
      a.send(new JsonObject().put("msgid", 4).put("name", 42).put("password", "x"));
      assertThat(a.next().getInteger("errno")).isEqualTo(1);
    }
  }

  @Test
  void loginAckHasTheClassicShapeAndErrors() throws Exception {
    try (ClassicClient a = user("login"); ClassicClient other = node.connect()) {
      JsonObject ack = a.loginOk();
      assertThat(ack.fieldNames()).containsExactlyInAnyOrder("errno", "id", "msgid", "name");
      assertThat(ack.getInteger("id")).isEqualTo(a.id);
      assertThat(ack.getString("name")).isEqualTo(a.name);

      other.send(new JsonObject().put("msgid", 1).put("id", a.id).put("password", a.password));
      assertThat(other.next().encode()).isEqualTo("{\"errmsg\":\"this account is using, input another!\",\"errno\":2,\"msgid\":2}");
      other.send(new JsonObject().put("msgid", 1).put("id", a.id).put("password", "wrong"));
      assertThat(other.next().encode()).isEqualTo("{\"errmsg\":\"id or password is invalid!\",\"errno\":1,\"msgid\":2}");
      other.send(new JsonObject().put("msgid", 1).put("id", 999_999_999).put("password", "x"));
      assertThat(other.next().getInteger("errno")).isEqualTo(1);
      other.send(new JsonObject().put("msgid", 1).put("id", String.valueOf(a.id)).put("password", a.password));
      assertThat(other.next().getInteger("errno")).isEqualTo(1);
    }
  }

  @Test
  void twoSimultaneousLoginsOfOneAccountCannotBothSucceed() throws Exception {
    ClassicClient owner = user("race");
    for (int round = 0; round < 5; round++) {
      try (ClassicClient x = node.connect(); ClassicClient y = node.connect()) {
        x.id = y.id = owner.id;
        x.password = y.password = owner.password;
        CompletableFuture<JsonObject> fx = CompletableFuture.supplyAsync(() -> call(x::login));
        CompletableFuture<JsonObject> fy = CompletableFuture.supplyAsync(() -> call(y::login));
        List<Integer> errnos = List.of(fx.get().getInteger("errno"), fy.get().getInteger("errno"));
        assertThat(errnos).containsExactlyInAnyOrder(0, 2);
      }
      Poll.until("release", () -> tryLogin(owner));
    }
    owner.close();
  }

  private boolean tryLogin(ClassicClient owner) throws Exception {
    try (ClassicClient probe = node.connect()) {
      probe.id = owner.id;
      probe.password = owner.password;
      return probe.login().getInteger("errno") == 0;
    }
  }

  @Test
  void oneToOneChatIsLiveForOnlineAndStoredForOfflineUsers() throws Exception {
    try (ClassicClient a = user("alice"); ClassicClient b = user("bob")) {
      a.loginOk();
      a.chat(b.id, "while you were away 你好 😀");
      Thread.sleep(200);
      JsonObject ack = b.loginOk();
      List<JsonObject> offline = decoded(ack, "offlinemsg");
      assertThat(offline).hasSize(1);
      assertThat(offline.get(0).fieldNames()).containsExactly("id", "msg", "msgid", "name", "time", "toid");
      assertThat(offline.get(0).getString("msg")).isEqualTo("while you were away 你好 😀");
      assertThat(offline.get(0).getInteger("id")).isEqualTo(a.id);
      assertThat(offline.get(0).getString("name")).isEqualTo(a.name);
      assertThat(offline.get(0).getString("time")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");

      a.chat(b.id, "live");
      JsonObject live = b.next();
      assertThat(live.getInteger("msgid")).isEqualTo(6);
      assertThat(live.getString("msg")).isEqualTo("live");
      assertThat(live.getInteger("toid")).isEqualTo(b.id);
      assertThat(live.getString("name")).isEqualTo(a.name);
      assertThat(b.lastDelimiter()).isZero();
    }
    // delivered messages are not offered again
  }

  @Test
  void deliveredMessagesAreNotOfferedAgainAtTheNextLogin() throws Exception {
    ClassicClient a = user("a");
    ClassicClient b = user("b");
    a.loginOk();
    b.loginOk();
    a.chat(b.id, "once");
    assertThat(b.next().getString("msg")).isEqualTo("once");
    b.close();
    try (ClassicClient b2 = node.connect()) {
      b2.id = b.id;
      b2.password = b.password;
      Poll.until("b offline", () -> b2.login().getInteger("errno") == 0);
      assertThat(b2.drain(100)).isEmpty();
    }
    a.close();
  }

  @Test
  void friendsShowWithOnlineStateAndDoubleAddsChangeNothing() throws Exception {
    try (ClassicClient a = user("fa"); ClassicClient b = user("fb"); ClassicClient c = user("fc")) {
      a.loginOk();
      b.loginOk();
      a.addFriend(b.id);
      a.addFriend(b.id);
      a.addFriend(c.id);
      a.addFriend(a.id);
      a.addFriend(999_999_999);
      Poll.until("friends", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", a.id) == 2);
      Thread.sleep(200);
      assertThat(Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", a.id)).isEqualTo(2);
      a.logout();
      JsonObject ack = awaitRelogin(a);
      List<JsonObject> friends = decoded(ack, "friends");
      assertThat(friends).extracting(f -> f.getInteger("id")).containsExactly(b.id, c.id);
      // presence by consent: b is online but has not added a, so a sees no state of b's
      assertThat(friends.get(0).getString("state")).isEqualTo("offline");
      b.addFriend(a.id);
      Poll.until("b adds back", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", b.id) == 1);
      a.logout();
      friends = decoded(awaitRelogin(a), "friends");
      assertThat(friends.get(0).encode()).isEqualTo(
          new JsonObject().put("id", b.id).put("name", b.name).put("state", "online").encode());
      assertThat(friends.get(1).getString("state")).isEqualTo("offline");
    }
  }

  /**
   * Classic has no reply to a friend or group change, and the C++ server handled a connection's
   * frames in order: a login sent right after changes on the same connection lists them.
   */
  @Test
  void aLoginListsTheChangesSentBeforeItOnTheConnection() throws Exception {
    try (ClassicClient a = user("order"); ClassicClient b = user("order2")) {
      a.loginOk();
      for (int round = 0; round < 5; round++) {
        String group = unique("g" + round);
        a.createGroup(group, "d");
        a.addFriend(b.id); // the first round adds, the others change nothing
        a.logout();
        JsonObject ack = awaitRelogin(a);
        assertThat(decoded(ack, "groups")).as("round %d", round).extracting(g -> g.getString("groupname")).contains(group);
        assertThat(decoded(ack, "friends")).extracting(f -> f.getInteger("id")).containsExactly(b.id);
      }
    }
  }

  private JsonObject awaitRelogin(ClassicClient c) throws Exception {
    JsonObject[] ack = new JsonObject[1];
    Poll.until("re-login", () -> (ack[0] = c.login()).getInteger("errno") == 0);
    return ack[0];
  }

  @Test
  void groupsCarryMembersWithRolesAndGroupChatReachesAllButTheSender() throws Exception {
    try (ClassicClient owner = user("owner"); ClassicClient m1 = user("m1"); ClassicClient m2 = user("m2");
        ClassicClient outsider = user("out")) {
      owner.loginOk();
      m1.loginOk();
      String groupName = unique("群");
      int group = Poll.createGroup(owner, groupName);
      Poll.joinGroup(m1, group);
      m2.loginOk();
      Poll.joinGroup(m2, group);
      m2.logout();
      m1.joinGroup(group); // twice: no change
      Thread.sleep(100);
      assertThat(Poll.number("SELECT COUNT(*) FROM group_members WHERE group_id = ?", group)).isEqualTo(3);

      owner.groupChat(group, "大家好");
      JsonObject got = m1.next();
      assertThat(got.fieldNames()).containsExactly("groupid", "id", "msg", "msgid", "name", "time");
      assertThat(got.getInteger("groupid")).isEqualTo(group);
      assertThat(got.getString("msg")).isEqualTo("大家好");
      assertThat(owner.drain(200)).as("the sender gets no copy").isEmpty();

      outsider.loginOk();
      outsider.groupChat(group, "let me in");
      assertThat(m1.drain(300)).as("non-members cannot post").isEmpty();

      JsonObject ack = awaitRelogin(m2);
      assertThat(decoded(ack, "offlinemsg")).extracting(f -> f.getString("msg")).containsExactly("大家好");
      List<JsonObject> groups = decoded(ack, "groups");
      assertThat(groups).hasSize(1);
      JsonObject g = groups.get(0);
      assertThat(g.fieldNames()).containsExactly("groupdesc", "groupname", "id", "users");
      assertThat(g.getString("groupname")).isEqualTo(groupName);
      List<JsonObject> users = g.getJsonArray("users").stream().map(s -> new JsonObject((String) s)).toList();
      assertThat(users).extracting(u -> u.getInteger("id")).containsExactly(owner.id, m1.id, m2.id);
      assertThat(users).extracting(u -> u.getString("role")).containsExactly("creator", "normal", "normal");
      assertThat(users).extracting(u -> u.getString("state")).containsExactly("online", "online", "online");
      assertThat(users.get(0).fieldNames()).containsExactly("id", "name", "role", "state");
    }
  }

  @Test
  void logoutEndsTheLoginAndTheConnectionCanLogInAgain() throws Exception {
    try (ClassicClient a = user("lo"); ClassicClient b = user("lo2")) {
      a.loginOk();
      b.loginOk();
      b.logout();
      Thread.sleep(200);
      a.chat(b.id, "after logout");
      assertThat(b.drain(300)).isEmpty();
      JsonObject ack = awaitRelogin(b);
      assertThat(decoded(ack, "offlinemsg")).extracting(f -> f.getString("msg")).containsExactly("after logout");
    }
  }

  @Test
  void droppedConnectionMarksTheUserOffline() throws Exception {
    ClassicClient a = user("drop");
    a.loginOk();
    a.close();
    try (ClassicClient again = node.connect()) {
      again.id = a.id;
      again.password = a.password;
      Poll.until("offline after drop", () -> again.login().getInteger("errno") == 0);
    }
  }

  @Test
  void framesBeforeLoginOrNamingAnotherUserAreDropped() throws Exception {
    try (ClassicClient a = user("victim"); ClassicClient mallory = user("mallory"); ClassicClient anon = node.connect()) {
      a.loginOk();
      anon.send(new JsonObject().put("msgid", 6).put("id", mallory.id).put("toid", a.id).put("msg", "before login"));
      mallory.loginOk();
      mallory.send(new JsonObject().put("msgid", 6).put("id", a.id).put("name", a.name).put("toid", a.id).put("msg", "spoofed"));
      mallory.send(new JsonObject().put("msgid", 3).put("id", a.id));
      mallory.send(new JsonObject().put("msgid", 7).put("id", a.id).put("friendid", mallory.id));
      assertThat(a.drain(300)).isEmpty();
      assertThat(Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", a.id)).isZero();
      // a is still logged in: the forged logout did nothing
      mallory.chat(a.id, "honest");
      JsonObject got = a.next();
      assertThat(got.getString("msg")).isEqualTo("honest");
      assertThat(got.getInteger("id")).isEqualTo(mallory.id);
      assertThat(got.getString("name")).isEqualTo(mallory.name);
    }
  }

  @Test
  void newlineClientsGetNewlineDelimitedReplies() throws Exception {
    try (ClassicClient a = node.connect()) {
      a.sendRaw(("{\"msgid\":4,\"name\":\"" + unique("nl") + "\",\"password\":\"p\"}\n").getBytes(StandardCharsets.UTF_8));
      assertThat(a.next().getInteger("errno")).isZero();
      assertThat(a.lastDelimiter()).isEqualTo((byte) '\n');
    }
  }

  private static JsonObject call(java.util.concurrent.Callable<JsonObject> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
