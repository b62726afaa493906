package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** v2 groups (docs/protocol.md section 6): roles, every permission refusal, pushes, and what classic clients still see. */
class V2GroupsIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  private static V2Client online(String name) throws Exception {
    return V2Client.online(node.port, name);
  }

  private static int create(V2Client c, String name) throws Exception {
    return c.ok(new JsonObject().put("type", "group.create").put("name", name).put("desc", "about " + name)).getInteger("group");
  }

  private static JsonObject onGroup(V2Client c, String type, int group) throws Exception {
    return c.call(new JsonObject().put("type", type).put("group", group));
  }

  private static JsonObject onMember(V2Client c, String type, int group, int user) throws Exception {
    return c.call(new JsonObject().put("type", type).put("group", group).put("user", user));
  }

  private static void ok(JsonObject reply) {
    assertThat(reply.getBoolean("ok")).as("%s", reply).isTrue();
  }

  private static void refused(JsonObject reply, int code) {
    assertThat(reply.getInteger("code")).as("%s", reply).isEqualTo(code);
  }

  private static JsonObject post(V2Client c, int group, String text) throws Exception {
    return c.call(new JsonObject().put("type", "send").put("to", new JsonObject().put("group", group))
        .put("cmid", "g" + System.nanoTime()).put("text", text));
  }

  /** The next group push, skipping message pushes. */
  private static JsonObject groupPush(V2Client c) throws Exception {
    while (true) {
      JsonObject p = c.push();
      if ("group".equals(p.getString("type"))) {
        return p;
      }
    }
  }

  private static void assertPush(V2Client to, String event, int group, int user, String role) throws Exception {
    JsonObject p = groupPush(to);
    assertThat(p.getString("event")).as("%s", p).isEqualTo(event);
    assertThat(p.getInteger("group")).as("%s", p).isEqualTo(group);
    assertThat(p.getInteger("user")).as("%s", p).isEqualTo(user);
    assertThat(p.getString("role")).as("%s", p).isEqualTo(role);
  }

  private static void join(V2Client c, int group, V2Client... told) throws Exception {
    ok(onGroup(c, "group.join", group));
    for (V2Client t : told) {
      assertPush(t, "joined", group, c.user, "member");
    }
  }

  private static String roleOf(V2Client asker, int group, int user) throws Exception {
    JsonObject info = onGroup(asker, "group.info", group);
    ok(info);
    for (Object m : info.getJsonArray("members")) {
      if (((JsonObject) m).getInteger("id") == user) {
        return ((JsonObject) m).getString("role");
      }
    }
    return null;
  }

  /** docs/protocol.md: the snapshot's groups carry the user's role and a members count; group.info lists them. */
  @Test
  void theLoginSnapshotGivesEachGroupTheUsersRoleAndAMembersCount() throws Exception {
    V2Client alice = online("sra");
    V2Client bob = online("srb");
    int group = create(alice, unique("snap"));
    ok(onGroup(bob, "group.join", group));
    alice.close();
    bob.close();
    for (V2Client who : List.of(alice, bob)) {
      try (V2Client again = new V2Client(node.port).hello()) {
        again.user = who.user;
        again.password = who.password;
        JsonObject snapshot = again.loginWhenFree();
        JsonObject g = snapshot.getJsonArray("groups").getJsonObject(0);
        assertThat(g.getInteger("id")).isEqualTo(group);
        assertThat(g.getString("desc")).startsWith("about ");
        assertThat(g.getValue("members")).as("a count, not the list").isEqualTo(2);
        assertThat(g.getString("role")).isEqualTo(who == alice ? "owner" : "member");
      }
    }
  }

  @Test
  void createJoinInfoAndTheUsersGroups() throws Exception {
    try (V2Client alice = online("ga"); V2Client bob = online("gb"); V2Client carol = online("gc");
        V2Client anonymous = new V2Client(node.port).hello()) {
      String name = unique("组");
      int group = create(alice, name);
      join(bob, group, alice);
      ok(onGroup(bob, "group.join", group));
      assertThat(alice.pollPush(300)).as("joining twice changes nothing and tells nobody").isNull();

      JsonObject info = onGroup(bob, "group.info", group);
      assertThat(info.getString("name")).isEqualTo(name);
      assertThat(info.getString("desc")).isEqualTo("about " + name);
      JsonArray members = info.getJsonArray("members");
      assertThat(members).hasSize(2);
      assertThat(members.getJsonObject(0).encode())
          .isEqualTo(new JsonObject().put("id", alice.user).put("name", alice.name).put("role", "owner").encode());
      assertThat(members.getJsonObject(1).getString("role")).isEqualTo("member");

      JsonArray groups = bob.ok(new JsonObject().put("type", "groups")).getJsonArray("groups");
      assertThat(groups).hasSize(1);
      assertThat(groups.getJsonObject(0).encode()).isEqualTo(new JsonObject().put("id", group).put("name", name)
          .put("desc", "about " + name).put("role", "member").encode());
      assertThat(carol.ok(new JsonObject().put("type", "groups")).getJsonArray("groups")).isEmpty();

      refused(onGroup(carol, "group.info", group), 1007);
      refused(onGroup(carol, "group.info", 999_999_999), 1008);
      refused(onGroup(carol, "group.join", 999_999_999), 1008);
      refused(carol.call(new JsonObject().put("type", "group.create").put("name", "")), 1013);
      refused(carol.call(new JsonObject().put("type", "group.join")), 1004);
      refused(onGroup(anonymous, "group.join", group), 1006);
      refused(anonymous.call(new JsonObject().put("type", "groups")), 1006);
    }
  }

  @Test
  void kicksPromotionsAndDemotionsFollowTheRoles() throws Exception {
    try (V2Client alice = online("ka"); V2Client bob = online("kb"); V2Client carol = online("kc"); V2Client dave = online("kd")) {
      int group = create(alice, unique("kick"));
      join(bob, group, alice);
      join(carol, group, alice, bob);
      join(dave, group, alice, bob, carol);

      refused(onMember(bob, "group.kick", group, carol.user), 1007);
      refused(onMember(bob, "group.promote", group, carol.user), 1007);
      ok(onMember(alice, "group.promote", group, bob.user));
      for (V2Client c : List.of(bob, carol, dave)) {
        assertPush(c, "role", group, bob.user, "admin");
      }
      ok(onMember(alice, "group.promote", group, bob.user));
      assertThat(bob.pollPush(300)).as("promoting an admin changes nothing").isNull();
      refused(onMember(bob, "group.promote", group, carol.user), 1007);
      refused(onMember(bob, "group.demote", group, carol.user), 1007);
      refused(onMember(bob, "group.transfer", group, carol.user), 1007);
      refused(onMember(bob, "group.kick", group, alice.user), 1007);

      ok(onMember(bob, "group.kick", group, carol.user));
      for (V2Client c : List.of(alice, carol, dave)) {
        assertPush(c, "kicked", group, carol.user, null);
      }
      refused(post(carol, group, "still here?"), 1007);
      refused(onGroup(carol, "group.info", group), 1007);

      ok(onMember(alice, "group.promote", group, dave.user));
      for (V2Client c : List.of(bob, dave)) {
        assertPush(c, "role", group, dave.user, "admin");
      }
      refused(onMember(bob, "group.kick", group, dave.user), 1007);
      ok(onMember(alice, "group.demote", group, dave.user));
      for (V2Client c : List.of(bob, dave)) {
        assertPush(c, "role", group, dave.user, "member");
      }
      assertThat(roleOf(alice, group, dave.user)).isEqualTo("member");
      ok(onMember(bob, "group.kick", group, dave.user));
      assertPush(dave, "kicked", group, dave.user, null);

      ok(onMember(alice, "group.kick", group, bob.user));
      assertPush(bob, "kicked", group, bob.user, null);
      refused(onMember(alice, "group.kick", group, carol.user), 1008);
      refused(onMember(alice, "group.kick", group, 999_999_999), 1008);
      refused(onMember(alice, "group.kick", group, alice.user), 1013);
      refused(onMember(alice, "group.promote", 999_999_999, bob.user), 1008);
      refused(alice.call(new JsonObject().put("type", "group.kick").put("group", group)), 1004);
    }
  }

  @Test
  void theOwnerTransfersBeforeLeavingAndLeaversCannotPost() throws Exception {
    try (V2Client alice = online("ta"); V2Client bob = online("tb"); V2Client carol = online("tc")) {
      int group = create(alice, unique("transfer"));
      join(bob, group, alice);

      refused(onGroup(alice, "group.leave", group), 1007);
      refused(onMember(bob, "group.transfer", group, alice.user), 1007);
      refused(onMember(alice, "group.transfer", group, carol.user), 1008);
      refused(onGroup(carol, "group.leave", group), 1007);

      ok(onMember(alice, "group.transfer", group, bob.user));
      assertPush(bob, "role", group, bob.user, "owner");
      assertPush(bob, "role", group, alice.user, "admin");
      assertThat(roleOf(bob, group, bob.user)).isEqualTo("owner");
      assertThat(roleOf(bob, group, alice.user)).isEqualTo("admin");
      refused(onMember(alice, "group.kick", group, bob.user), 1007);

      ok(post(alice, group, "bye"));
      ok(onGroup(alice, "group.leave", group));
      assertPush(bob, "left", group, alice.user, null);
      refused(post(alice, group, "back?"), 1007);
      assertThat(alice.ok(new JsonObject().put("type", "groups")).getJsonArray("groups")).isEmpty();
      ok(post(bob, group, "still mine"));
      assertThat(bob.ok(new JsonObject().put("type", "groups")).getJsonArray("groups").getJsonObject(0).getString("role"))
          .isEqualTo("owner");
    }
  }

  @Test
  void onlyTheOwnerDissolvesAndTheMessagesStay() throws Exception {
    try (V2Client alice = online("da"); V2Client bob = online("db")) {
      int group = create(alice, unique("dissolve"));
      join(bob, group, alice);
      ok(post(bob, group, "before the end"));

      refused(onGroup(bob, "group.dissolve", group), 1007);
      ok(onGroup(alice, "group.dissolve", group));
      assertPush(bob, "dissolved", group, alice.user, null);

      assertThat(bob.ok(new JsonObject().put("type", "groups")).getJsonArray("groups")).isEmpty();
      refused(onGroup(bob, "group.info", group), 1008);
      refused(onGroup(bob, "group.join", group), 1008);
      refused(onGroup(alice, "group.dissolve", group), 1008);
      refused(post(alice, group, "anyone?"), 1008);
      assertThat(Poll.number("SELECT COUNT(*) FROM group_members WHERE group_id = ?", group)).isZero();
      assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE group_id = ?", group)).isEqualTo(1);
    }
  }

  @Test
  void classicCreateAndAddgroupStillWorkAndTheClassicAckShowsClassicRoles() throws Exception {
    try (ClassicClient owner = node.connect().register(unique("co")); ClassicClient member = node.connect().register(unique("cm"));
        V2Client bob = online("cb")) {
      owner.loginOk();
      member.loginOk();
      String name = unique("classic");
      int group = Poll.createGroup(owner, name);
      Poll.joinGroup(member, group);
      join(bob, group);
      member.joinGroup(group);
      assertThat(roleOf(bob, group, owner.id)).isEqualTo("owner");
      assertThat(roleOf(bob, group, member.id)).isEqualTo("member");

      owner.logout();
      try (V2Client ownerV2 = new V2Client(node.port).hello()) {
        ownerV2.user = owner.id;
        ownerV2.password = owner.password;
        Poll.until("v2 login of the classic owner", () -> ownerV2.call(new JsonObject().put("type", "login")
            .put("user", owner.id).put("password", owner.password)).getBoolean("ok", false));
        ok(onMember(ownerV2, "group.promote", group, bob.user));
        assertPush(bob, "role", group, bob.user, "admin");
        ownerV2.ok(new JsonObject().put("type", "logout"));
      }

      JsonObject[] ack = new JsonObject[1];
      Poll.until("classic re-login", () -> (ack[0] = owner.login()).getInteger("errno") == 0);
      List<JsonObject> groups = decoded(ack[0], "groups");
      assertThat(groups).hasSize(1);
      List<JsonObject> users = groups.get(0).getJsonArray("users").stream().map(s -> new JsonObject((String) s)).toList();
      assertThat(users).extracting(u -> u.getInteger("id")).containsExactly(owner.id, member.id, bob.user);
      assertThat(users).extracting(u -> u.getString("role")).as("admins show as classic 'normal'")
          .containsExactly("creator", "normal", "normal");

      owner.groupChat(group, "经典");
      JsonObject got = member.next();
      assertThat(got.getString("msg")).isEqualTo("经典");
    }
  }

  @Test
  void capsAreRefusedWith1018() throws Exception {
    TestNode capped = TestNode.start(new JsonObject().put("CHAT_GROUP_MAX_MEMBERS", 2).put("CHAT_MAX_GROUPS_PER_USER", 1));
    try (V2Client alice = new V2Client(capped.port).hello().register(unique("ca"));
        V2Client bob = new V2Client(capped.port).hello().register(unique("cb"));
        V2Client carol = new V2Client(capped.port).hello().register(unique("cc"))) {
      alice.login();
      bob.login();
      carol.login();
      int group = create(alice, unique("cap"));
      refused(alice.call(new JsonObject().put("type", "group.create").put("name", unique("cap2"))), 1018);
      join(bob, group, alice);
      refused(onGroup(carol, "group.join", group), 1018);
      refused(bob.call(new JsonObject().put("type", "group.create").put("name", unique("cap3"))), 1018);
      ok(onGroup(bob, "group.leave", group));
      assertPush(alice, "left", group, bob.user, null);
      join(carol, group, alice);
    } finally {
      TestNode.closeAll(capped);
    }
  }
}
