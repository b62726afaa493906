package chat.persistence;

import chat.protocol.OptionsJson;
import chat.protocol.Setting;
import chat.protocol.Settings;
import chat.protocol.VerticleOptions;
import chat.protocol.SharedSettings;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Database connection settings and the store's limits. The node builds them from its CHAT_*
 * settings ({@link #of}) and deploys them as JSON ({@link #toJson}); the verticle reads them back
 * with {@link #from}. Each default is in one constant below. {@code timeoutMs} bounds connecting,
 * waiting for a pooled connection and each request: a database that stops answering must give
 * failures within seconds, not 30 s event-bus timeouts.
 */
public record DbSettings(
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
    long dedupPurgeMs,
    int strangerMessagesPerMin,
    int friendPendingMax) implements VerticleOptions {

  /** Unset: the node starts its embedded MariaDB and fills in its address ({@link #withServer}). */
  static final Setting HOST = Setting.text("CHAT_DB_HOST", null);
  static final Setting PORT = Setting.number("CHAT_DB_PORT", 3306, 1, 65_535);
  static final Setting NAME = Setting.text("CHAT_DB_NAME", "chat");
  static final Setting USER = Setting.text("CHAT_DB_USER", "chat");
  static final Setting PASSWORD = Setting.text("CHAT_DB_PASSWORD", "");
  static final Setting POOL_SIZE = Setting.number("CHAT_DB_POOL_SIZE", 8, 1, 10_000);
  static final Setting TIMEOUT_MS = Setting.number("CHAT_DB_TIMEOUT_MS", 5000, 500, 25_000);
  static final Setting STORE_QUEUE = Setting.number("CHAT_STORE_QUEUE", 10_000, 1, 1_000_000);
  static final Setting STORE_QUEUE_BYTES =
      Setting.number("CHAT_STORE_QUEUE_BYTES", 64 * 1024 * 1024, 1024 * 1024, Integer.MAX_VALUE);
  static final Setting GROUP_MAX_MEMBERS = Setting.number("CHAT_GROUP_MAX_MEMBERS", 500, 2, 100_000);
  static final Setting MAX_GROUPS_PER_USER = Setting.number("CHAT_MAX_GROUPS_PER_USER", 200, 1, 100_000);
  static final Setting LOGIN_ACK_BYTES = Setting.number("CHAT_LOGIN_ACK_BYTES", 1024 * 1024, 4096, SharedSettings.FRAME_CAP);
  /** Undelivered 1:1 messages per recipient from senders they have not added. */
  static final Setting STRANGER_BACKLOG = Setting.number("CHAT_STRANGER_BACKLOG", 1000, 1, 100_000_000);
  /** Undelivered 1:1 messages per recipient from anyone. */
  static final Setting MAX_BACKLOG = Setting.number("CHAT_MAX_BACKLOG", 100_000, 1, 1_000_000_000);
  /** How long a resend with the same (sender, cmid) still finds the stored message. */
  static final Setting DEDUP_WINDOW_MS = Setting.number("CHAT_DEDUP_WINDOW_MS", 24 * 3600 * 1000, 1000, Integer.MAX_VALUE);
  static final Setting DEDUP_PURGE_BATCH = Setting.number("CHAT_DEDUP_PURGE_BATCH", 1000, 1, 100_000);
  static final Setting DEDUP_PURGE_MS = Setting.number("CHAT_DEDUP_PURGE_MS", 60_000, 100, 86_400_000);
  /** 1:1 messages per sender per minute to users who have not added the sender (the spam limit; see StrangerGate). */
  static final Setting STRANGER_MESSAGES_PER_MIN = Setting.number("CHAT_STRANGER_MESSAGES_PER_MIN", 30, 1, 1_000_000);
  /** Friend requests of one account waiting for an answer. */
  static final Setting FRIEND_PENDING_MAX = Setting.number("CHAT_FRIEND_PENDING_MAX", 100, 1, 1_000_000);

  /** Every setting this record reads, for the tests that hold each to one default. */
  public static final List<Setting> SETTINGS = List.of(
      HOST, PORT, NAME, USER, PASSWORD, POOL_SIZE, TIMEOUT_MS, STORE_QUEUE, STORE_QUEUE_BYTES, GROUP_MAX_MEMBERS,
      MAX_GROUPS_PER_USER, LOGIN_ACK_BYTES, STRANGER_BACKLOG, MAX_BACKLOG, DEDUP_WINDOW_MS, DEDUP_PURGE_BATCH,
      DEDUP_PURGE_MS, STRANGER_MESSAGES_PER_MIN, FRIEND_PENDING_MAX);

  /** Messages per store batch: not a setting, the statements are sized for it. */
  static final int MAX_BATCH = 512;

  /** Statements in flight on one connection; only the message store sends more than one. */
  static final int PIPELINING_LIMIT = 256;

  /** Longest statement text kept prepared: the largest multi-row statement is about 21,000 characters. */
  static final int PREPARED_SQL_LIMIT = 32 * 1024;

  /** Built from CHAT_* settings, each checked against its range; called by the node's config. */
  public static DbSettings of(Settings s) {
    return new DbSettings(
        s.optionalText(HOST),
        s.integer(PORT),
        s.text(NAME),
        s.text(USER),
        s.text(PASSWORD),
        s.integer(POOL_SIZE),
        MAX_BATCH,
        s.integer(TIMEOUT_MS),
        s.integer(STORE_QUEUE),
        s.number(STORE_QUEUE_BYTES),
        s.integer(GROUP_MAX_MEMBERS),
        s.integer(MAX_GROUPS_PER_USER),
        s.integer(LOGIN_ACK_BYTES),
        s.integer(STRANGER_BACKLOG),
        s.integer(MAX_BACKLOG),
        s.number(DEDUP_WINDOW_MS),
        s.integer(DEDUP_PURGE_BATCH),
        s.number(DEDUP_PURGE_MS),
        s.integer(STRANGER_MESSAGES_PER_MIN),
        s.integer(FRIEND_PENDING_MAX));
  }

  public static DbSettings defaults() {
    return of(Settings.NONE);
  }

  /** The same settings on another server (the embedded database the node started). */
  public DbSettings withServer(String host, int port, String user, String password) {
    return OptionsJson.with(this, java.util.Map.of("host", host, "port", port, "user", user, "password", password));
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
