package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class V2CommandsTest {
  private static final Map<Integer, String> NAMES = Map.of(2, "bob");

  @Test
  void theClassicVocabularyBecomesV2Requests() {
    V2Commands.Cmd chat = V2Commands.parse("chat:7:hi: there");
    assertThat(chat.kind()).isEqualTo(V2Commands.Kind.SEND);
    assertThat(chat.to()).isEqualTo(new JsonObject().put("user", 7));
    assertThat(chat.text()).as("the text may hold colons").isEqualTo("hi: there");
    assertThat(V2Commands.parse("groupchat:3:你好").to()).isEqualTo(new JsonObject().put("group", 3));

    assertThat(V2Commands.parse("addfriend:2").request())
        .isEqualTo(new JsonObject().put("type", "friend.request").put("user", 2));
    assertThat(V2Commands.parse("addgroup:4").request())
        .isEqualTo(new JsonObject().put("type", "group.join").put("group", 4));
    assertThat(V2Commands.parse("creategroup:team:our team").request())
        .isEqualTo(new JsonObject().put("type", "group.create").put("name", "team").put("desc", "our team"));
    assertThat(V2Commands.parse("loginout").kind()).isEqualTo(V2Commands.Kind.LOGOUT);
    assertThat(V2Commands.parse("quit").kind()).isEqualTo(V2Commands.Kind.QUIT);
    assertThat(V2Commands.parse("help").kind()).isEqualTo(V2Commands.Kind.HELP);
    assertThat(V2Commands.parse("  ").kind()).isEqualTo(V2Commands.Kind.NONE);
  }

  @Test
  void whatV2AddsHasCommandsToo() {
    assertThat(V2Commands.parse("accept:5").request()).isEqualTo(new JsonObject().put("type", "friend.accept").put("user", 5));
    assertThat(V2Commands.parse("decline:5").request().getString("type")).isEqualTo("friend.decline");
    assertThat(V2Commands.parse("removefriend:5").request().getString("type")).isEqualTo("friend.remove");
    assertThat(V2Commands.parse("block:5").request().getString("type")).isEqualTo("block");
    assertThat(V2Commands.parse("unblock:5").request().getString("type")).isEqualTo("unblock");
    assertThat(V2Commands.parse("friends").request().getString("type")).isEqualTo("friends");
    assertThat(V2Commands.parse("groups").request().getString("type")).isEqualTo("groups");
    assertThat(V2Commands.parse("leavegroup:4").request()).isEqualTo(new JsonObject().put("type", "group.leave").put("group", 4));
    assertThat(V2Commands.parse("groupinfo:4").request().getString("type")).isEqualTo("group.info");
    assertThat(V2Commands.parse("kick:4:9").request())
        .isEqualTo(new JsonObject().put("type", "group.kick").put("group", 4).put("user", 9));
    assertThat(V2Commands.parse("promote:4:9").request().getString("type")).isEqualTo("group.promote");
    assertThat(V2Commands.parse("demote:4:9").request().getString("type")).isEqualTo("group.demote");
    assertThat(V2Commands.parse("history:2").request())
        .isEqualTo(new JsonObject().put("type", "history").put("with", new JsonObject().put("user", 2)).put("limit", 20));
    assertThat(V2Commands.parse("grouphistory:4:1870").request())
        .isEqualTo(new JsonObject().put("type", "history").put("with", new JsonObject().put("group", 4)).put("limit", 20).put("before", 1870));
  }

  @Test
  void profileLooksANameUpAndSaysHowToAddThem() {
    V2Commands.Cmd profile = V2Commands.parse("profile:bob smith");
    assertThat(profile.request()).isEqualTo(new JsonObject().put("type", "profile").put("name", "bob smith"));
    assertThat(profile.render().apply(new JsonObject().put("user", 2).put("name", "bob smith")))
        .isEqualTo("bob smith is user [2]; addfriend:2 asks them");
    assertThat(V2Commands.parse("profile:").error()).isEqualTo("usage: profile:name");
  }

  @Test
  void badCommandsGiveUsageNotRequests() {
    assertThat(V2Commands.parse("chat:x:hi").error()).startsWith("usage: chat:");
    assertThat(V2Commands.parse("chat:2:").error()).startsWith("usage: chat:");
    assertThat(V2Commands.parse("accept:").error()).isEqualTo("usage: accept:userid");
    assertThat(V2Commands.parse("kick:4").error()).isEqualTo("usage: kick:groupid:userid");
    assertThat(V2Commands.parse("history:2:x").error()).startsWith("usage: history:");
    assertThat(V2Commands.parse("creategroup::desc").error()).startsWith("invalid name");
    assertThat(V2Commands.parse("dance").error()).contains("unknown command 'dance'");
  }

  @Test
  void everyReplyIsShownAndEveryRefusalCarriesTheServersWords() {
    assertThat(render("creategroup:team:our team", new JsonObject().put("group", 17))).startsWith("created group 17 (team)");
    assertThat(render("addfriend:2", new JsonObject().put("outcome", "requested"))).startsWith("friend request sent to [2]");
    assertThat(render("addfriend:2", new JsonObject().put("outcome", "accepted"))).contains("friends now");
    assertThat(render("accept:2", new JsonObject())).isEqualTo("you and [2] are friends now");
    assertThat(render("groupinfo:4", new JsonObject().put("name", "team").put("desc", "d")
        .put("members", new JsonArray().add(new JsonObject().put("id", 2).put("name", "bob").put("role", "owner")))))
        .isEqualTo("group 4 team: d\n    [2]bob owner");

    JsonObject refused = new JsonObject().put("ok", false).put("code", 1008).put("error", "no such user");
    assertThat(V2Screens.refused("accept:9", refused)).isEqualTo("accept:9 failed: no such user (1008)");
    assertThat(V2Session.sendResult(new JsonObject().put("user", 99), refused))
        .isEqualTo("message to [99] failed: no such user (1008)");
    assertThat(V2Session.sendResult(new JsonObject().put("user", 2), new JsonObject().put("ok", true).put("messageId", 1874)))
        .isEqualTo("sent to [2] as #1874");
    assertThat(V2Session.sendResult(new JsonObject().put("user", 99),
        new JsonObject().put("ok", false).put("code", 1008).put("error", "NOT_FOUND")))
        .as("a bare code name is explained").isEqualTo("message to [99] failed: no such user or group, NOT_FOUND (1008)");
    assertThat(V2Screens.refused("friends", Pending.lost("the connection was lost")))
        .isEqualTo("friends: no answer (the connection was lost)");
  }

  @Test
  void pushesSayWhatHappenedAndHowToAnswer() {
    assertThat(V2Screens.push(new JsonObject().put("type", "friend").put("event", "request").put("user", 3).put("name", "carol"), NAMES::get))
        .isEqualTo("[3]carol asks to be your friend: type accept:3 or decline:3");
    assertThat(V2Screens.push(new JsonObject().put("type", "receipt").put("kind", "delivered").put("by", 2).put("upto", 1874), NAMES::get))
        .isEqualTo("[2]bob received your messages up to #1874");
    assertThat(V2Screens.push(new JsonObject().put("type", "receipt").put("kind", "read").put("by", 2).put("upto", 1874), NAMES::get))
        .isEqualTo("[2]bob read your messages up to #1874");
    assertThat(V2Screens.push(new JsonObject().put("type", "presence").put("user", 2).put("online", false), NAMES::get))
        .isEqualTo("friend [2]bob is offline");
    assertThat(V2Screens.push(new JsonObject().put("type", "group").put("event", "joined").put("group", 4).put("user", 2).put("role", "member"), NAMES::get))
        .isEqualTo("group[4]: [2]bob joined as member");
    assertThat(V2Screens.push(new JsonObject().put("type", "typing").put("user", 2), NAMES::get)).isNull();
  }

  @Test
  void messagesLookAsTheClassicClientShowedThemAndHistoryReadsOldestFirst() {
    JsonObject m = new JsonObject().put("id", 5).put("from", 2).put("fromName", "bob").put("to", new JsonObject().put("user", 1))
        .put("text", "hi").put("time", "2026-11-25T23:41:07Z");
    String shown = V2Screens.message(m);
    assertThat(shown).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:07 \\[2\\]bob said: hi");
    assertThat(V2Screens.message(m.copy().put("time", "2026-11-25T23:41:07")))
        .as("the server may leave out the Z; it is UTC all the same").isEqualTo(shown);
    assertThat(V2Screens.message(m.copy().put("to", new JsonObject().put("group", 4)))).startsWith("group[4]: ").endsWith("[2]bob said: hi");

    JsonObject page = new JsonObject().put("more", true).put("msgs", new JsonArray()
        .add(m.copy().put("id", 7).put("text", "newer")).add(m.copy().put("id", 6).put("text", "older")));
    String history = V2Screens.history(page, "history:2");
    assertThat(history.indexOf("older")).isLessThan(history.indexOf("newer"));
    assertThat(history).endsWith("(older ones: history:2:6)");
  }

  @Test
  void theLoginSummaryListsFriendRequestsWithHowToAccept() {
    JsonObject login = new JsonObject().put("user", 1).put("name", "alice")
        .put("friends", new JsonArray().add(new JsonObject().put("id", 2).put("name", "bob").put("online", true)))
        .put("requests", new JsonObject().put("incoming", new JsonArray().add(new JsonObject().put("id", 3).put("name", "carol")))
            .put("outgoing", new JsonArray()))
        .put("groups", new JsonArray().add(new JsonObject().put("id", 4).put("name", "team").put("desc", "d").put("role", "owner").put("members", 2)));
    assertThat(V2Screens.loggedIn(login)).contains(
        "current login user => id:1 name:alice", "2 bob online",
        "[3]carol asks to be your friend: type accept:3 or decline:3", "4 team d (owner, 2 members)");
  }

  private static String render(String line, JsonObject reply) {
    return V2Commands.parse(line).render().apply(reply.put("ok", true));
  }
}
