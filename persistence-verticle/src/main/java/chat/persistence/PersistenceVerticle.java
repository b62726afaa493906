package chat.persistence;

import chat.protocol.Addresses;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the reactive MySQL pool. Applies the schema, then serves the persistence.* addresses.
 * Config: {host, port, database, user, password, poolSize, maxBatch}.
 */
public final class PersistenceVerticle extends VerticleBase {
  private Pool pool;

  @Override
  public Future<?> start() {
    DbSettings db = DbSettings.from(config());
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
                      .connectingTo(db.connectOptions())
                      .using(vertx)
                      .build();
              return serveAll(db);
            });
  }

  private Future<?> serveAll(DbSettings db) {
    Users users = new Users(pool);
    LoginData login = new LoginData(pool);
    Social social = new Social(pool);
    MessageBatcher batcher = new MessageBatcher(vertx, pool, db.maxBatch());
    List<Future<Void>> ready = new ArrayList<>();
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_PING, users::ping));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_USER_CREATE, users::create));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_USER_GET, users::get));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_DELIVERED, users::markDelivered));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_LAST_SEQS, users::lastSeqs));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_LOGIN_LOAD, login::load));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_OFFLINE_PAGE, login::offlinePage));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_FRIEND_ADD, social::addFriend));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_GROUP_CREATE, social::createGroup));
    ready.add(Replies.serve(vertx.eventBus(), Addresses.DB_GROUP_JOIN, social::joinGroup));
    ready.add(vertx.eventBus().<JsonObject>consumer(Addresses.DB_MESSAGE_STORE, batcher::submit).completion());
    return Future.all(ready).compose(v -> users.ping(null));
  }


  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
