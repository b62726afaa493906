package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hardening 2, attack 4: the classic addfriend adds without consent, and the adder used to see
 * the other's online state at login and in live pushes. Presence now reaches only friends who
 * each have the other: the one-way friend is still listed (classic compatibility), as offline.
 */
class PresenceConsentIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  static void befriend(V2Client a, V2Client b) throws Exception {
    a.ok(new JsonObject().put("type", "friend.request").put("user", b.user));
    assertThat(b.push().getString("event")).isEqualTo("request");
    b.ok(new JsonObject().put("type", "friend.accept").put("user", a.user));
    assertThat(a.push().getString("event")).isEqualTo("accepted");
    assertThat(a.push().getString("type")).isEqualTo("presence");
    assertThat(b.push().getString("type")).isEqualTo("presence");
  }

  @Test
  void aOneWayFriendSeesNoPresenceAtLoginNorLive() throws Exception {
    V2Client victim = V2Client.online(node.port, "victim");
    V2Client friend = V2Client.online(node.port, "vfriend");
    befriend(friend, victim);

    ClassicClient stalker = node.connect().register(unique("stalker"));
    stalker.loginOk();
    stalker.addFriend(victim.user);
    // the attack happened: the stalker lists the victim as a friend, without the victim's consent
    Poll.until("one-way friend", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ? AND friend_id = ?",
        stalker.id, victim.user) == 1);
    assertThat(Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ? AND friend_id = ?", victim.user, stalker.id)).isZero();
    stalker.logout();
    ClassicClient again = ClassicClient.loginWhenFree(node.port, stalker);
    JsonObject ack = again.pendingAck;
    List<JsonObject> listed = decoded(ack, "friends");
    assertThat(listed).extracting(f -> f.getInteger("id")).containsExactly(victim.user);
    assertThat(listed.get(0).getString("state")).as("the victim is online, the stalker is not told").isEqualTo("offline");

    again.close();
    stalker.close();
    // the same stalker on v2: the login snapshot and the live feed
    V2Client watcher = new V2Client(node.port).hello();
    watcher.user = stalker.id;
    watcher.password = stalker.password;
    JsonArray friends = watcher.loginWhenFree().getJsonArray("friends");
    V2Client w = watcher;
    assertThat(friends.getJsonObject(0).getInteger("id")).isEqualTo(victim.user);
    assertThat(friends.getJsonObject(0).getBoolean("online")).isFalse();

    victim.close();
    JsonObject off = friend.push();
    assertThat(off.getString("type")).isEqualTo("presence");
    assertThat(off.getBoolean("online")).as("the mutual friend is told").isFalse();
    V2Client back = V2Client.loginWhenFree(node.port, victim);
    assertThat(friend.push().getBoolean("online")).isTrue();
    assertThat(w.pollPush(500)).as("the one-way friend is told nothing").isNull();

    back.close();
    friend.close();
    w.close();
  }
}
