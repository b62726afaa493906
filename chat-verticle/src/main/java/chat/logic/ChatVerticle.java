package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.DeliveryBatch;
import chat.protocol.Replies;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.ChatHandler;
import chat.protocol.bus.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The chat logic: accounts, presence, friends, groups, routing. Deploy one instance per node:
 * presence lives on its event loop. Config: {bcryptCost, offlinePage, redisUrl, nodeId,
 * nodeTtlMs, hashQueue, loginRatePerIp, loginBurstPerIp, loginFreeFailures,
 * loginFreeFailuresPerIp, loginBackoffMs, loginBackoffMaxMs, loginTracked, loginIpExempt (comma
 * list, default loopback), tokenKey (base64, at least 32 bytes; unset: the database's), tokenTtlMs, presenceWindowMs,
 * presenceMaxWatchers, typingMaxFanout, reapPage, reapMaxUsers}; with a redisUrl the node joins the
 * cluster through Redis, and looks for dead nodes to sign off every {@code nodeTtlMs}.
 */
public final class ChatVerticle extends VerticleBase {
  private static final long SWEEP_MS = 30_000;
  private static final long TOKEN_SWEEP_MS = 3_600_000;
  static final long DEFAULT_TOKEN_TTL_MS = 7L * 24 * 3600 * 1000;
  static final long PRESENCE_WINDOW_MS = 1000;

  private ClusterLink cluster;
  private long reapTimer = -1;

  @Override
  public Future<?> start() {
    DeliveryBatch.registerCodec(vertx);
    BusCodec.register(vertx);
    int cost = config().getInteger("bcryptCost", 10);
    int offlinePage = config().getInteger("offlinePage", 500);
    LongSupplier clock = System::currentTimeMillis;
    int hashQueue = config().getInteger("hashQueue", 64);
    HashQueue hashes = new HashQueue(vertx, hashQueue, config().getInteger("hashQueuePerIp", Math.max(1, hashQueue / 16)), clock);
    LoginGuard guard = new LoginGuard(limits(), exemptAddresses(), clock);
    return vertx
        .executeBlocking(() -> new Passwords(hashes, cost))
        .compose(
            passwords -> {
              Db db = new Db(vertx.eventBus());
              Presence presence = new Presence();
              Router router = new Router(presence, vertx.eventBus());
              String redisUrl = config().getString("redisUrl");
              if (redisUrl != null && !redisUrl.isBlank()) {
                cluster = new ClusterLink(vertx, redisUrl, config().getString("nodeId", "node"),
                    config().getLong("nodeTtlMs", 5000L), router::onPublish, router::resync);
                router.join(cluster);
              }
              Groups groups = new Groups(db, router);
              GroupAdmin groupAdmin = new GroupAdmin(db, router);
              TokenBook tokens = new TokenBook(db, tokenKey(), config().getLong("tokenTtlMs", DEFAULT_TOKEN_TTL_MS), clock);
              Friends friends = new Friends(db, router);
              Accounts accounts = new Accounts(db, passwords, hashes, guard, tokens, router, offlinePage, clock);
              Messaging messaging = new Messaging(db, router);
              Receipts receipts = new Receipts(db, router);
              PresenceCoalescer presenceWindows = new PresenceCoalescer(
                  config().getLong("presenceWindowMs", PRESENCE_WINDOW_MS),
                  config().getInteger("presenceMaxOpen", PresenceCoalescer.DEFAULT_MAX_OPEN),
                  (delay, task) -> vertx.setTimer(delay, id -> task.run()),
                  new PresenceFeed(db, router, config().getInteger("presenceMaxWatchers", PresenceFeed.DEFAULT_MAX_WATCHERS)));
              router.onPresence(presenceWindows::changed);
              long ttlMs = config().getLong("nodeTtlMs", 5000L);
              NodeReaper reaper = cluster == null ? null : new NodeReaper(cluster,
                  config().getInteger("reapPage", NodeReaper.DEFAULT_PAGE),
                  config().getInteger("reapMaxUsers", NodeReaper.DEFAULT_MAX_PER_TICK), 2 * ttlMs, presenceWindows::changed);
              Typing typing = new Typing(db, router, clock, config().getInteger("typingMaxFanout", Typing.DEFAULT_MAX_FANOUT));
              return Future.all(
                  List.of(
                      Replies.serve(vertx.eventBus(), Addresses.CHAT_REGISTER, accounts::register),
                      serveTyped(new ChatRequests(accounts, messaging, friends, groups, groupAdmin)),
                      Replies.serve(vertx.eventBus(), Addresses.CHAT_SESSION_CLOSED, accounts::sessionClosed),
                      Replies.serve(vertx.eventBus(), Addresses.CHAT_TOKEN_REVOKE, accounts::revokeToken),
                      Replies.serve(vertx.eventBus(), Addresses.CHAT_PASSWORD, accounts::changePassword),
                      Replies.serve(vertx.eventBus(), Addresses.CHAT_READ, receipts::read),
                      vertx.eventBus().<JsonObject>consumer(Addresses.CHAT_DELIVERED, m -> receipts.delivered(m.body())).completion(),
                      Replies.serve(vertx.eventBus(), Addresses.CHAT_TYPING, typing::typing),
                      Replies.serve(vertx.eventBus(), Addresses.CHAT_STATUS, req -> Future.succeededFuture(
                          new JsonObject().put("redis", router.redisStatus()).put("online", presence.size())
                              .put("hashes", hashes.status()).put("loginGuardEntries", guard.tracked())))))
                  .onSuccess(v -> {
                    vertx.setPeriodic(SWEEP_MS, id -> guard.sweep());
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
                    }
                  });
            });
  }

  private Future<Void> serveTyped(ChatHandler handler) {
    return vertx.eventBus().<ChatRequest<?>>consumer(Addresses.CHAT,
        msg -> Replies.reply(msg, Replies.guard(r -> r.handleWith(handler), msg.body()))).completion();
  }

  /** The configured signing key, or null to use the one stored in the database. */
  private byte[] tokenKey() {
    String key = config().getString("tokenKey");
    if (key == null || key.isBlank()) {
      return null;
    }
    byte[] bytes = java.util.Base64.getDecoder().decode(key.trim());
    if (bytes.length < Tokens.MIN_KEY_BYTES) {
      throw new IllegalArgumentException("CHAT_TOKEN_KEY must be base64 of at least " + Tokens.MIN_KEY_BYTES + " bytes");
    }
    return bytes;
  }

  private Set<String> exemptAddresses() {
    String list = config().getString("loginIpExempt");
    if (list == null) {
      return LoginGuard.LOOPBACK;
    }
    Set<String> exempt = new HashSet<>();
    for (String a : list.split(",")) {
      if (!a.isBlank()) {
        exempt.add(a.trim());
      }
    }
    return exempt;
  }

  private LoginGuard.Limits limits() {
    LoginGuard.Limits d = LoginGuard.Limits.defaults();
    return new LoginGuard.Limits(
        config().getInteger("loginRatePerIp", d.ratePerIp()),
        config().getInteger("loginBurstPerIp", d.burstPerIp()),
        config().getInteger("loginFreeFailures", d.freeFailures()),
        config().getInteger("loginFreeFailuresPerIp", d.freeFailuresPerIp()),
        config().getLong("loginBackoffMs", d.backoffMs()),
        config().getLong("loginBackoffMaxMs", d.backoffMaxMs()),
        config().getInteger("loginTracked", d.tracked()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(reapTimer);
    return cluster == null ? Future.succeededFuture() : cluster.stop();
  }
}
