package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.GroupRole;
import chat.protocol.bus.GroupChange;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Group administration against a stub persistence: what the database reports is pushed to the
 * listed members who are online, and naming yourself never reaches the database.
 */
@ExtendWith(VertxExtension.class)
class GroupAdminTest {
  static final int OWNER = 1;
  static final int ONLINE = 2;
  static final int OFFLINE = 3;
  static final int GROUP = 77;

  final List<Notice> notices = new CopyOnWriteArrayList<>();
  final List<String> dbCalls = new CopyOnWriteArrayList<>();
  JsonObject dbAnswer = new JsonObject();
  GroupAdmin admin;
  Groups groups;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    for (String address : List.of(Addresses.DB_GROUP_KICK, Addresses.DB_GROUP_TRANSFER, Addresses.DB_GROUP_LEAVE,
        Addresses.DB_GROUP_JOIN)) {
      vertx.eventBus().<JsonObject>consumer(address, m -> {
        dbCalls.add(address);
        m.reply(dbAnswer);
      });
    }
    Notice.listen(vertx, notices::add);
    this.vertx = vertx;
    Presence presence = new Presence();
    presence.claim(ONLINE, Addresses.session("gw1", 5));
    Router router = new Router(presence, vertx.eventBus());
    admin = new GroupAdmin(new Db(vertx.eventBus()), router);
    groups = new Groups(new Db(vertx.eventBus()), router);
  }

  static JsonObject req(int user) {
    return new JsonObject().put("userId", OWNER).put("groupId", GROUP).put("user", user);
  }

  @Test
  void eachEventReachesEachOnlineMemberInOrder(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("notify", new JsonArray().add(ONLINE).add(OFFLINE)).put("events", new JsonArray()
        .add(new JsonObject().put("event", "role").put("user", ONLINE).put("role", "owner"))
        .add(new JsonObject().put("event", "role").put("user", OWNER).put("role", "admin")));
    admin.transfer(req(ONLINE)).onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
      assertThat(r).isEqualTo(new JsonObject());
      assertThat(notices).extracting(Notice::push).containsExactly(
          new GroupChange(GroupChange.Kind.ROLE, GROUP, ONLINE, GroupRole.OWNER),
          new GroupChange(GroupChange.Kind.ROLE, GROUP, OWNER, GroupRole.ADMIN));
      ctx.completeNow();
    }))));
  }

  @Test
  void actingOnYourselfIsInvalidWithoutAskingTheDatabase(VertxTestContext ctx) {
    admin.kick(req(OWNER)).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.INVALID_VALUE);
      assertThat(dbCalls).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aJoinThatChangedNothingTellsNobody(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("joined", false);
    groups.join(new JsonObject().put("userId", OFFLINE).put("groupId", GROUP))
        .onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
          assertThat(dbCalls).containsExactly(Addresses.DB_GROUP_JOIN);
          assertThat(notices).isEmpty();
          ctx.completeNow();
        }))));
  }

  @Test
  void aNewMemberIsAnnounced(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("joined", true).put("notify", new JsonArray().add(ONLINE));
    groups.join(new JsonObject().put("userId", OFFLINE).put("groupId", GROUP))
        .onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
          assertThat(notices).extracting(Notice::push).containsExactly(
              new GroupChange(GroupChange.Kind.JOINED, GROUP, OFFLINE, GroupRole.MEMBER));
          ctx.completeNow();
        }))));
  }
}
