package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.Audience;
import chat.protocol.bus.Done;
import chat.protocol.bus.TypingSignal;
import chat.protocol.bus.Peer;
import chat.protocol.bus.TypingNotice;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Typing against a stub store on a fake clock: the rate cap, the cached checks, what is pushed to whom. */
@ExtendWith(VertxExtension.class)
class TypingTest {
  static final int ME = 1;

  final AtomicLong now = new AtomicLong(1_000_000);
  final AtomicInteger lookups = new AtomicInteger();
  final List<Notice> notices = new CopyOnWriteArrayList<>();
  volatile ErrorCode refusal;
  volatile boolean stranger;
  Typing typing;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    Notice.listen(vertx, notices::add);
    vertx.eventBus().<Audience>consumer(Addresses.STORE, m -> {
      lookups.incrementAndGet();
      if (refusal != null) {
        m.fail(refusal.code(), "refused");
      } else {
        m.reply(new Audience.Users(List.of(2, 3, 4), stranger));
      }
    });
    Presence presence = new Presence();
    presence.claim(2, Addresses.session("gw1", 2));
    presence.claim(3, Addresses.session("gw1", 3));
    // two typing notices a minute to strangers
    typing = new Typing(new Db(vertx.eventBus()), new Router(presence, vertx.eventBus()), now::get, 500,
        new SpamLimits(new SpamLimits.Limits(100, 2), now::get));
  }

  private Future<Done> type(Peer with) {
    return typing.typing(new TypingSignal(ME, with));
  }

  final List<ErrorCode> codesSeen = new CopyOnWriteArrayList<>();

  private static Future<ErrorCode> codeOf(Future<Done> typed) {
    return typed.map((ErrorCode) null).recover(e -> Future.succeededFuture(Replies.codeOf(e)));
  }

  private static Peer group(int id) {
    return Peer.group(id);
  }

  /** Runs the steps on the event loop, then checks after the notices had time to arrive. */
  private void then(VertxTestContext ctx, Future<?> steps, Runnable check) {
    steps.onComplete(ctx.succeeding(v -> vertx.setTimer(200, id -> ctx.verify(() -> {
      check.run();
      ctx.completeNow();
    }))));
  }

  @Test
  void onePushPerSecondPerConversationToTheOnlineAudience(VertxTestContext ctx) {
    vertx.runOnContext(x -> then(ctx,
        type(group(9)).compose(r -> type(group(9))).compose(r -> type(group(9)))
            .compose(r -> {
              now.addAndGet(999);
              return type(group(9));
            })
            .compose(r -> type(group(8))),
        () -> {
          // two online members each for group 9 (once) and group 8 (once); user 4 is offline
          assertThat(notices).hasSize(4);
          assertThat(notices).extracting(Notice::session).containsOnly(Addresses.session("gw1", 2), Addresses.session("gw1", 3));
          assertThat(notices.get(0).push()).isEqualTo(new TypingNotice(ME, Peer.group(9)));
          assertThat(lookups.get()).as("the audience is cached per conversation").isEqualTo(2);
        }));
  }

  @Test
  void aSecondLaterItIsPushedAgainAndTheCheckExpires(VertxTestContext ctx) {
    vertx.runOnContext(x -> then(ctx,
        type(group(9)).compose(r -> {
          now.addAndGet(1000);
          return type(group(9));
        }).compose(r -> {
          now.addAndGet(Typing.CHECK_TTL_MS);
          return type(group(9));
        }),
        () -> {
          assertThat(notices).hasSize(6);
          assertThat(lookups.get()).isEqualTo(2);
        }));
  }

  @Test
  void aRefusalIsCachedAndNothingIsPushed(VertxTestContext ctx) {
    refusal = ErrorCode.FORBIDDEN;
    vertx.runOnContext(x -> then(ctx,
        codeOf(type(Peer.user(2)))
            .compose(first -> codeOf(type(Peer.user(2))).map(second -> List.of(first, second)))
            .onSuccess(codes -> codesSeen.addAll(codes)),
        () -> {
          assertThat(codesSeen).containsExactly(ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN);
          assertThat(notices).isEmpty();
          assertThat(lookups.get()).isEqualTo(1);
        }));
  }

  @Test
  void anOutageIsNotCached(VertxTestContext ctx) {
    refusal = ErrorCode.UNAVAILABLE;
    vertx.runOnContext(x -> then(ctx,
        type(group(9)).recover(e -> {
          refusal = null;
          return type(group(9));
        }),
        () -> {
          assertThat(lookups.get()).isEqualTo(2);
          assertThat(notices).hasSize(2);
        }));
  }

  @Test
  void typingToYourselfNeverReachesTheStore(VertxTestContext ctx) {
    vertx.runOnContext(x -> type(Peer.user(ME)).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.INVALID_VALUE);
      assertThat(lookups.get()).isZero();
      ctx.completeNow();
    }))));
  }

  @Test
  void typingToStrangersIsLimitedPerMinuteAndAGoingConversationCostsOnePerCheck(VertxTestContext ctx) {
    stranger = true;
    vertx.runOnContext(x -> then(ctx,
        codeOf(type(Peer.user(2)))
            .compose(c -> {
              codesSeen.add(c);
              now.addAndGet(1000);
              return codeOf(type(Peer.user(2))); // pushed again, the same check: not counted
            })
            .compose(c -> {
              codesSeen.add(c);
              return codeOf(type(Peer.user(3)));
            })
            .compose(c -> {
              codesSeen.add(c);
              return codeOf(type(Peer.user(4)));
            })
            .compose(c -> {
              codesSeen.add(c);
              stranger = false;
              return codeOf(type(group(9))); // a group is no stranger
            })
            .compose(c -> {
              codesSeen.add(c);
              stranger = true;
              now.addAndGet(30_000); // half a minute: one conversation more
              return codeOf(type(Peer.user(4)));
            })
            .compose(c -> {
              codesSeen.add(c);
              return codeOf(type(Peer.user(5)));
            })
            .onSuccess(codesSeen::add),
        () -> {
          assertThat(codesSeen).containsExactly(null, null, null, ErrorCode.RATE_LIMITED, null, null, ErrorCode.RATE_LIMITED);
          // user 2 twice, user 3, group 9 and user 4 once: two online hearers (2 and 3) each
          assertThat(notices).hasSize(10);
        }));
  }
}
