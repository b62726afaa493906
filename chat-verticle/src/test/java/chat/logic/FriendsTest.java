package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.FriendEvent;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Friends against a stub persistence on a real event bus: who is told what, that nobody is told
 * of a no-op, and that naming yourself never reaches the database.
 */
@ExtendWith(VertxExtension.class)
class FriendsTest {
  static final int ME = 1;
  static final int OTHER = 2;
  static final String OTHER_SESSION = Addresses.session("gw1", 5);

  final List<Notice> notices = new CopyOnWriteArrayList<>();
  final List<String> dbCalls = new CopyOnWriteArrayList<>();
  JsonObject dbAnswer = new JsonObject();
  Friends friends;
  Router router;
  Vertx vertx;
  volatile int expected = 1;
  final Promise<Void> noticed = Promise.promise();

  @BeforeEach
  void setUp(Vertx vertx) {
    for (String address : List.of(Addresses.DB_FRIEND_REQUEST, Addresses.DB_FRIEND_ACCEPT, Addresses.DB_FRIEND_DECLINE,
        Addresses.DB_FRIEND_REMOVE, Addresses.DB_BLOCK, Addresses.DB_UNBLOCK)) {
      vertx.eventBus().<JsonObject>consumer(address, m -> {
        dbCalls.add(address);
        m.reply(dbAnswer);
      });
    }
    Notice.listen(vertx, n -> {
      notices.add(n);
      if (notices.size() == expected) {
        noticed.tryComplete();
      }
    });
    this.vertx = vertx;
    Presence presence = new Presence();
    presence.claim(OTHER, OTHER_SESSION);
    router = new Router(presence, vertx.eventBus());
    friends = new Friends(new Db(vertx.eventBus()), router);
  }

  static JsonObject req() {
    return new JsonObject().put("userId", ME).put("name", "me").put("other", OTHER);
  }

  @Test
  void aNewRequestIsPushedToTheOtherSession(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("outcome", "requested");
    friends.request(req()).onComplete(ctx.succeeding(r -> {
      assertThat(r.getString("outcome")).isEqualTo("requested");
      awaitNotice(ctx, FriendEvent.Kind.REQUEST);
    }));
  }

  @Test
  void askingSomeoneWhoAskedFirstTellsThemItIsAccepted(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("outcome", "accepted");
    friends.request(req()).onComplete(ctx.succeeding(r -> awaitNotice(ctx, FriendEvent.Kind.ACCEPTED)));
  }

  @Test
  void declineAndRemoveAreTold(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("removed", true);
    expected = 2;
    friends.decline(req()).compose(r -> friends.remove(req())).compose(r -> noticed.future())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(notices).extracting(n -> ((FriendEvent) n.push()).kind()).containsExactly(FriendEvent.Kind.DECLINED, FriendEvent.Kind.REMOVED);
          ctx.completeNow();
        })));
  }

  @Test
  void noOpsTellNobody(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("outcome", "friends").put("removed", false);
    friends.request(req())
        .compose(r -> friends.remove(req()))
        .compose(r -> friends.block(req()))
        .compose(r -> friends.unblock(req()))
        .onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
          assertThat(notices).isEmpty();
          assertThat(dbCalls).hasSize(4);
          ctx.completeNow();
        }))));
  }

  @Test
  void yourselfIsInvalidWithoutAskingTheDatabase(VertxTestContext ctx) {
    friends.request(req().put("other", ME)).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.INVALID_VALUE);
      assertThat(dbCalls).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aNoticePublishedByAnotherNodeReachesTheNamedSession(VertxTestContext ctx) {
    router.onPublish(new JsonObject().put("notice", BusCodec.toJson(new FriendEvent(FriendEvent.Kind.REMOVED, ME, "me")))
        .put("session", OTHER_SESSION));
    awaitNotice(ctx, FriendEvent.Kind.REMOVED);
  }

  @Test
  void anOfflineUserIsToldNothing(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("outcome", "requested");
    friends.request(req().put("other", 3)).onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
      assertThat(notices).isEmpty();
      ctx.completeNow();
    }))));
  }

  private void awaitNotice(VertxTestContext ctx, FriendEvent.Kind event) {
    noticed.future().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      Notice n = notices.get(0);
      assertThat(n.session()).isEqualTo(OTHER_SESSION);
      assertThat(n.push()).isEqualTo(new FriendEvent(event, ME, "me"));
      ctx.completeNow();
    })));
  }
}
