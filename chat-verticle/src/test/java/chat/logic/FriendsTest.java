package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendEvent;
import chat.protocol.bus.NodeLink;
import chat.protocol.bus.RemoteNotice;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
  FriendChange.Outcome dbAnswer = FriendChange.Outcome.NOTHING;
  Friends friends;
  Router router;
  Vertx vertx;
  volatile int expected = 1;
  volatile long storeMs = 1;
  final java.util.concurrent.atomic.AtomicInteger inStore = new java.util.concurrent.atomic.AtomicInteger();
  final java.util.concurrent.atomic.AtomicInteger maxInStore = new java.util.concurrent.atomic.AtomicInteger();
  final Promise<Void> noticed = Promise.promise();

  @BeforeEach
  void setUp(Vertx vertx) {
    Notice.listen(vertx, n -> {
      notices.add(n);
      if (notices.size() == expected) {
        noticed.tryComplete();
      }
    });
    vertx.eventBus().<FriendChange>consumer(Addresses.STORE, m -> {
      dbCalls.add(m.body().kind().name());
      maxInStore.accumulateAndGet(inStore.incrementAndGet(), Math::max);
      FriendChange.Result answer = new FriendChange.Result(dbAnswer);
      vertx.setTimer(storeMs, t -> {
        inStore.decrementAndGet();
        m.reply(answer);
      });
    });
    this.vertx = vertx;
    Presence presence = new Presence();
    presence.claim(OTHER, OTHER_SESSION);
    router = new Router(presence, vertx.eventBus());
    friends = new Friends(new Db(vertx.eventBus()), router, new SpamLimits(new SpamLimits.Limits(3, 100), System::currentTimeMillis));
  }

  static FriendChange req(FriendChange.Kind kind) {
    return req(kind, OTHER);
  }

  static FriendChange req(FriendChange.Kind kind, int other) {
    return new FriendChange(kind, ME, "me", other);
  }

  @Test
  void aNewRequestIsPushedToTheOtherSession(VertxTestContext ctx) {
    dbAnswer = FriendChange.Outcome.REQUESTED;
    friends.change(req(FriendChange.Kind.REQUEST)).onComplete(ctx.succeeding(r -> {
      assertThat(r.outcome()).isEqualTo(FriendChange.Outcome.REQUESTED);
      awaitNotice(ctx, FriendEvent.Kind.REQUEST);
    }));
  }

  @Test
  void askingSomeoneWhoAskedFirstTellsThemItIsAccepted(VertxTestContext ctx) {
    dbAnswer = FriendChange.Outcome.ACCEPTED;
    friends.change(req(FriendChange.Kind.REQUEST)).onComplete(ctx.succeeding(r -> awaitNotice(ctx, FriendEvent.Kind.ACCEPTED)));
  }

  @Test
  void declineAndRemoveAreTold(VertxTestContext ctx) {
    expected = 2;
    friends.change(req(FriendChange.Kind.DECLINE)).compose(r -> {
      dbAnswer = FriendChange.Outcome.REMOVED;
      return friends.change(req(FriendChange.Kind.REMOVE));
    }).compose(r -> noticed.future())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(notices).extracting(n -> ((FriendEvent) n.push()).kind()).containsExactly(FriendEvent.Kind.DECLINED, FriendEvent.Kind.REMOVED);
          ctx.completeNow();
        })));
  }

  @Test
  void noOpsTellNobody(VertxTestContext ctx) {
    dbAnswer = FriendChange.Outcome.FRIENDS;
    friends.change(req(FriendChange.Kind.REQUEST))
        .compose(r -> {
          dbAnswer = FriendChange.Outcome.NOTHING;
          return friends.change(req(FriendChange.Kind.REMOVE));
        })
        .compose(r -> friends.change(req(FriendChange.Kind.BLOCK)))
        .compose(r -> friends.change(req(FriendChange.Kind.UNBLOCK)))
        .onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
          assertThat(notices).isEmpty();
          assertThat(dbCalls).hasSize(4);
          ctx.completeNow();
        }))));
  }

  @Test
  void yourselfIsInvalidWithoutAskingTheDatabase(VertxTestContext ctx) {
    friends.change(req(FriendChange.Kind.REQUEST, ME)).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.INVALID_VALUE);
      assertThat(dbCalls).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void aNoticePublishedByAnotherNodeReachesTheNamedSession(VertxTestContext ctx) {
    String published = BusCodec.toJson(new RemoteNotice(new FriendEvent(FriendEvent.Kind.REMOVED, ME, "me"), List.of(OTHER_SESSION), 0L));
    new RemoteArrivals(vertx.eventBus()).accept(BusCodec.fromJson(published, NodeLink.class));
    awaitNotice(ctx, FriendEvent.Kind.REMOVED);
  }

  @Test
  void anOfflineUserIsToldNothing(VertxTestContext ctx) {
    dbAnswer = FriendChange.Outcome.REQUESTED;
    friends.change(req(FriendChange.Kind.REQUEST, 3)).onComplete(ctx.succeeding(r -> vertx.setTimer(200, t -> ctx.verify(() -> {
      assertThat(notices).isEmpty();
      ctx.completeNow();
    }))));
  }

  @Test
  void requestsPastTheHourlyLimitAreRefusedWithoutTheStoreAndGoThereOneAtATime(VertxTestContext ctx) {
    dbAnswer = FriendChange.Outcome.REQUESTED;
    storeMs = 50;
    vertx.runOnContext(x -> {
      List<io.vertx.core.Future<ErrorCode>> codes = new java.util.ArrayList<>();
      for (int other = 10; other < 15; other++) {
        codes.add(friends.change(req(FriendChange.Kind.REQUEST, other))
            .map((ErrorCode) null).recover(e -> io.vertx.core.Future.succeededFuture(Replies.codeOf(e))));
      }
      io.vertx.core.Future.join(codes)
          .compose(all -> friends.change(req(FriendChange.Kind.ACCEPT, 20)).map(all))
          .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
            assertThat(codes).extracting(io.vertx.core.Future::result)
                .containsExactly(null, null, null, ErrorCode.RATE_LIMITED, ErrorCode.RATE_LIMITED);
            assertThat(dbCalls).as("an accept is no request: not limited").containsExactly("REQUEST", "REQUEST", "REQUEST", "ACCEPT");
            assertThat(maxInStore.get()).as("one request of the account in the store at a time").isEqualTo(1);
            ctx.completeNow();
          })));
    });
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
