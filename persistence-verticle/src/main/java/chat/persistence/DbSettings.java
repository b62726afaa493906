package chat.persistence;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * Database connection settings and the store's limits, read from the verticle's config.
 * {@code timeoutMs} bounds connecting, waiting for a pooled connection and each request: a
 * database that stops answering must give failures within seconds, not 30 s event-bus timeouts.
 */
record DbSettings(
    String host,
    int port,
    String database,
    String user,
    String password,
    int poolSize,
    int maxBatch,
    int timeoutMs,
    int storeQueue,
    long storeQueueBytes,
    int groupMaxMembers,
    int maxGroupsPerUser,
    int loginAckBytes,
    int strangerBacklog,
    int maxBacklog,
    long dedupWindowMs,
    int dedupPurgeBatch,
    long dedupPurgeMs) {

  /** Statements in flight on one connection; only the message store sends more than one. */
  static final int PIPELINING_LIMIT = 256;

  /** Longest statement text kept prepared: the largest multi-row statement is about 21,000 characters. */
  static final int PREPARED_SQL_LIMIT = 32 * 1024;

  static DbSettings from(JsonObject config) {
    return new DbSettings(
        config.getString("host", "127.0.0.1"),
        config.getInteger("port", 3306),
        config.getString("database", "chat"),
        config.getString("user", "chat"),
        config.getString("password", ""),
        config.getInteger("poolSize", 8),
        config.getInteger("maxBatch", 512),
        config.getInteger("timeoutMs", 5000),
        config.getInteger("storeQueue", 10_000),
        config.getLong("storeQueueBytes", 64L * 1024 * 1024),
        config.getInteger("groupMaxMembers", 500),
        config.getInteger("maxGroupsPerUser", 200),
        config.getInteger("loginAckBytes", 1024 * 1024),
        config.getInteger("strangerBacklog", 1000),
        config.getInteger("maxBacklog", 100_000),
        config.getLong("dedupWindowMs", 24L * 3600 * 1000),
        config.getInteger("dedupPurgeBatch", 1000),
        config.getLong("dedupPurgeMs", 60_000L));
  }

  String jdbcUrl() {
    return "jdbc:mariadb://" + host + ":" + port + "/";
  }

  MySQLConnectOptions connectOptions() {
    return new MySQLConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password)
        .setCharset("utf8mb4")
        .setCollation("utf8mb4_bin")
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        // the default (2048 characters) leaves a large batch's statements (128 messages, 64 cmid
        // lookups) uncached: each was prepared, run and closed, three round trips instead of one.
        // Statement texts come in bounded sets (MultiRow, SqlQueries), so the cache stays small
        .setPreparedStatementCacheSqlLimit(PREPARED_SQL_LIMIT)
        // a message batch sends its statements without waiting for each answer (MessageBatcher):
        // the server runs them in order, and a batch needs far fewer than this in flight
        .setPipeliningLimit(PIPELINING_LIMIT);
  }

  /** A dead peer is noticed by keep-alive even when no request is pending on its socket. */
  NetClientOptions netOptions() {
    return new NetClientOptions().setConnectTimeout(timeoutMs).setTcpKeepAlive(true);
  }

  PoolOptions poolOptions() {
    return new PoolOptions()
        .setMaxSize(poolSize)
        .setName("chat-db")
        .setShared(true)
        .setConnectionTimeout(timeoutMs)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }
}
