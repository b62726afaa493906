package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.Replies;
import chat.protocol.bus.Done;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupChange;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Vertx;
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
  final List<StoreRequest<?>> dbCalls = new CopyOnWriteArrayList<>();
  volatile Object dbAnswer;
  GroupAdmin admin;
  Groups groups;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    Notice.listen(vertx, notices::add);
    vertx.eventBus().<StoreRequest<?>>consumer(Addresses.STORE, m -> {
      dbCalls.add(m.body());
      m.reply(dbAnswer);
    });
    this.vertx = vertx;
    Presence presence = new Presence();
    presence.claim(ONLINE, Addresses.session("gw1", 5));
    Router router = new Router(presence, vertx.eventBus());
    admin = new GroupAdmin(new Db(vertx.eventBus()), router);
    groups = new Groups(new Db(vertx.eventBus()), router, new SpamLimits(new SpamLimits.Limits(100, 100), System::currentTimeMillis));
  }

  static GroupAction act(GroupAction.Kind kind, int user) {
    return new GroupAction(kind, OWNER, GROUP, user);
  }

  @Test
  void eachEventReachesEachOnlineMemberInOrder(VertxTestContext ctx) {
    List<GroupChange> events = List.of(new GroupChange(GroupChange.Kind.ROLE, GROUP, ONLINE, GroupRole.OWNER),
        new GroupChange(GroupChange.Kind.ROLE, GROUP, OWNER, GroupRole.ADMIN));
    dbAnswer = new GroupAction.Changes(List.of(ONLINE, OFFLINE), events);
    admin.act(act(GroupAction.Kind.TRANSFER, ONLINE)).onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
      assertThat(r).isEqualTo(Done.DONE);
      assertThat(notices).extracting(Notice::push).containsExactlyElementsOf(events);
      ctx.completeNow();
    }))));
  }

  @Test
  void actingOnYourselfIsInvalidWithoutAskingTheDatabase(VertxTestContext ctx) {
    admin.act(act(GroupAction.Kind.KICK, OWNER)).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.INVALID_VALUE);
      assertThat(dbCalls).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aJoinThatChangedNothingTellsNobody(VertxTestContext ctx) {
    dbAnswer = new GroupJoin.Joined(false, List.of());
    groups.join(new GroupJoin(OFFLINE, GROUP))
        .onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
          assertThat(dbCalls).containsExactly(new GroupJoin(OFFLINE, GROUP));
          assertThat(notices).isEmpty();
          ctx.completeNow();
        }))));
  }

  @Test
  void aNewMemberIsAnnounced(VertxTestContext ctx) {
    dbAnswer = new GroupJoin.Joined(true, List.of(ONLINE));
    groups.join(new GroupJoin(OFFLINE, GROUP))
        .onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
          assertThat(notices).extracting(Notice::push).containsExactly(
              new GroupChange(GroupChange.Kind.JOINED, GROUP, OFFLINE, GroupRole.MEMBER));
          ctx.completeNow();
        }))));
  }
}
