package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.DeliveryBatch;
import chat.protocol.Replies;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.ChatHandler;
import chat.protocol.bus.ChatRequest;
import chat.protocol.bus.ChatStatus;
import chat.protocol.bus.RoundTripPing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The chat logic: accounts, presence, friends, groups, routing. Deploy one instance per node:
 * presence lives on its event loop. Config: {@link ChatOptions} as JSON; with a redisUrl the node
 * joins the cluster through Redis, and looks for dead nodes to sign off every {@code nodeTtlMs}.
 */
public final class ChatVerticle extends VerticleBase {
  private static final long SWEEP_MS = 30_000;
  private static final long TOKEN_SWEEP_MS = 3_600_000;
  static final long PRESENCE_WINDOW_MS = 1000;

  private final ChatMetrics metrics;
  private ClusterLink cluster;
  private long reapTimer = -1;
  private long pingTimer = -1;

  /** Without metrics (a deployment by class name). */
  public ChatVerticle() {
    this(ChatMetrics.NONE);
  }

  /** {@code metrics}: the node's. */
  public ChatVerticle(ChatMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    DeliveryBatch.registerCodec(vertx);
    BusCodec.register(vertx);
    ChatOptions options = chat.protocol.OptionsJson.read(ChatOptions.class, config(), ChatOptions.defaults());
    LongSupplier clock = System::currentTimeMillis;
    HashQueue hashes = new HashQueue(vertx, options.hashQueue(), options.hashQueuePerIp(), clock);
    LoginGuard guard = new LoginGuard(options.loginLimits(), Set.copyOf(options.loginIpExempt()), clock);
    SpamLimits spam = new SpamLimits(options.spamLimits(), clock);
    RoundTrip roundTrip = new RoundTrip(options.pubsubRoundTripMs());
    return vertx
        .executeBlocking(() -> new Passwords(hashes, options.bcryptCost()))
        .compose(
            passwords -> {
              Db db = new Db(vertx.eventBus());
              Presence presence = new Presence();
              Router router = new Router(presence, vertx.eventBus());
              if (options.redisUrl() != null) {
                RemoteArrivals arrivals = new RemoteArrivals(vertx.eventBus(), roundTrip::returned);
                cluster = new ClusterLink(vertx, options.redisUrl(), options.nodeId(), options.nodeTtlMs(), link -> {
                  if (!(link instanceof RoundTripPing)) {
                    metrics.arrived(link.publishedAt()); // the lag of deliveries and pushes, which users wait for
                  }
                  arrivals.accept(link);
                }, router::resync);
                router.join(cluster);
              }
              Groups groups = new Groups(db, router, spam);
              GroupAdmin groupAdmin = new GroupAdmin(db, router);
              TokenBook tokens = new TokenBook(db, options.tokenKeyBytes(), options.tokenTtlMs(), clock);
              Friends friends = new Friends(db, router, spam);
              Accounts accounts = new Accounts(db, passwords, hashes, guard, tokens, router, options.offlinePage(), clock,
                  ms -> vertx.timer(ms).mapEmpty());
              Receipts receipts = new Receipts(db, router);
              PresenceCoalescer presenceWindows = new PresenceCoalescer(
                  PRESENCE_WINDOW_MS,
                  options.presenceMaxOpen(),
                  (delay, task) -> vertx.setTimer(delay, id -> task.run()),
                  new PresenceFeed(db, router, PresenceFeed.MAX_WATCHERS));
              router.onPresence(presenceWindows::changed);
              long ttlMs = options.nodeTtlMs();
              NodeReaper reaper = cluster == null ? null : new NodeReaper(cluster,
                  options.reapPage(), options.reapMaxUsers(), 2 * ttlMs, presenceWindows::changed);
              Typing typing = new Typing(db, router, clock, Typing.MAX_FANOUT, spam);
              return serveTyped(new ChatRequests(accounts, router, friends, groups, groupAdmin, receipts, typing,
                      () -> new ChatStatus.Report(router.redisStatus(), cluster == null ? "off" : roundTrip.status(clock.getAsLong()),
                          presence.size(), hashes.status(), guard.tracked())))
                  .onSuccess(v -> {
                    vertx.setPeriodic(SWEEP_MS, id -> {
                      guard.sweep();
                      spam.sweep();
                    });
                    // expired rows verify as expired anyway: deleting them only keeps the table small
                    vertx.setPeriodic(TOKEN_SWEEP_MS, id -> tokens.sweep());
                    if (vertx.isClustered()) {
                      // gateways may live in other JVMs only when the event bus is clustered
                      vertx.setPeriodic(3000, id -> router.checkGateways(2000));
                    }
                    if (cluster != null) {
                      cluster.start();
                      // a dead node's heartbeat is gone within one ttl; looking every ttl bounds the rest
                      reapTimer = vertx.setPeriodic(ttlMs, id -> reaper.tick());
                      pingTimer = vertx.setPeriodic(roundTrip.periodMs(), id -> {
                        long now = clock.getAsLong();
                        roundTrip.sent(now);
                        cluster.publish(cluster.boot(), new RoundTripPing(now));
                      });
                    }
                  });
            });
  }

  private Future<Void> serveTyped(ChatHandler handler) {
    return vertx.eventBus().<ChatRequest<?>>consumer(Addresses.CHAT,
        msg -> Replies.reply(msg, Replies.guard(r -> r.handleWith(handler), msg.body()))).completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(reapTimer);
    vertx.cancelTimer(pingTimer);
    return cluster == null ? Future.succeededFuture() : cluster.stop();
  }
}
