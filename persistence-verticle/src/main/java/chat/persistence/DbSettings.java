package chat.persistence;

import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/** Database connection settings, read from the verticle's config. */
record DbSettings(
    String host, int port, String database, String user, String password, int poolSize, int maxBatch) {

  static DbSettings from(JsonObject config) {
    return new DbSettings(
        config.getString("host", "127.0.0.1"),
        config.getInteger("port", 3306),
        config.getString("database", "chat"),
        config.getString("user", "chat"),
        config.getString("password", ""),
        config.getInteger("poolSize", 8),
        config.getInteger("maxBatch", 512));
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
        .setPreparedStatementCacheMaxSize(512);
  }

  PoolOptions poolOptions() {
    return new PoolOptions().setMaxSize(poolSize).setName("chat-db").setShared(true);
  }
}
