package chat.persistence;

import chat.protocol.Addresses;
import chat.protocol.Replies;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.StoreMessage;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the reactive MySQL pool. Applies the schema, then serves the store's addresses.
 * Config: see {@link DbSettings}.
 */
public final class PersistenceVerticle extends VerticleBase {
  private final StoreMetrics metrics;
  private Pool pool;
  private long timeoutMs;
  private ClientIdPurge purge;

  /** Without metrics (a deployment by class name, tests). */
  public PersistenceVerticle() {
    this(StoreMetrics.NONE);
  }

  /** {@code metrics}: the node's. */
  public PersistenceVerticle(StoreMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    BusCodec.register(vertx);
    DbSettings db = chat.protocol.OptionsJson.read(DbSettings.class, config(), DbSettings.defaults());
    timeoutMs = db.timeoutMs();
    return vertx
        .executeBlocking(
            () -> {
              Migrations.migrate(db);
              return null;
            })
        .compose(
            v -> {
              pool =
                  MySQLBuilder.pool()
                      .with(db.poolOptions())
                      .with(db.netOptions())
                      .connectingTo(db.connectOptions())
                      .using(vertx)
                      .build();
              return serveAll(db);
            });
  }

  private Future<?> serveAll(DbSettings db) {
    Users users = new Users(pool);
    Epoch epoch = new Epoch(pool);
    ReadCursors cursors = new ReadCursors(pool);
    LoginData login = new LoginData(pool, db.loginAckBytes(), epoch, cursors);
    History history = new History(pool);
    TokenRows tokens = new TokenRows(pool);
    StoreEndpoint store = messageStore(db);
    List<Future<Void>> ready = new ArrayList<>();
    Social social = new Social(pool, db.groupMaxMembers(), db.maxGroupsPerUser());
    purge = new ClientIdPurge(vertx, pool, db.dedupWindowMs(), db.dedupPurgeBatch(), db.dedupPurgeMs());
    StoreRequests typed = new StoreRequests(users, epoch, login, history, cursors, new Friendships(pool, db.friendPendingMax()), social,
        new GroupAdmin(pool), new Ephemeral(pool), tokens, purge);
    ready.add(vertx.eventBus().<StoreRequest<?>>consumer(Addresses.STORE,
        msg -> Replies.reply(msg, Bounded.run(timeoutMs, () -> msg.body().handleWith(typed)))).completion());
    ready.add(vertx.eventBus().<StoreMessage>consumer(Addresses.STORE_MESSAGE, store::handle).completion());
    return Future.all(ready).compose(v -> users.ping()).onSuccess(v -> purge.start());
  }

  /** The message store: the batcher, writing through store_direct where it can and the checked path otherwise. */
  private StoreEndpoint messageStore(DbSettings db) {
    Timers timers = Timers.of(vertx);
    InboxCap cap = new InboxCap(db.strangerBacklog(), db.maxBacklog());
    ReadBack readBack = new ReadBack(pool, timers);
    CheckedWriter checked = new CheckedWriter(pool, new MessageIds(pool), readBack, cap);
    DirectWriter writer = new DirectWriter(pool, checked, readBack, cap.lowest(), db.timeoutMs());
    MessageBatcher batcher = new MessageBatcher(metrics.timed(writer), timers, db.maxBatch(), db.timeoutMs(),
        new StoreQueue<>(db.storeQueue(), db.storeQueueBytes()));
    StrangerGate strangers = new StrangerGate(
        new SenderQuota(db.strangerMessagesPerMin(), 60_000, StrangerGate.MAX_SENDERS, timers::now),
        StrangerGate.Lookup.of(pool, db.timeoutMs()), timers);
    return new StoreEndpoint(batcher, timers, strangers, metrics, db.timeoutMs());
  }

  @Override
  public Future<?> stop() {
    if (purge != null) {
      purge.stop();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
