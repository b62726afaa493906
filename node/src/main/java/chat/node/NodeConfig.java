package chat.node;

import io.vertx.core.json.JsonObject;

/**
 * The node's settings. Keys are the environment variable names, in the config file and on the
 * command line alike, so one table documents all three.
 */
record NodeConfig(
    String nodeId,
    String bindHost,
    int tcpPort,
    int httpPort,
    String dbHost,
    int dbPort,
    String dbName,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    String dataDir,
    int maxFrameBytes,
    int gatewayInstances,
    int bcryptCost,
    int offlinePage,
    String redisUrl,
    int deliveredFlushMs,
    boolean cluster,
    String clusterHost,
    int clusterPort,
    String clusterMembers,
    String k8sService,
    java.util.Set<String> roles,
    JsonObject settings) {

  static final int MAX_FRAME_CAP = 16 * 1024 * 1024;

  static NodeConfig from(JsonObject c) {
    NodeConfig config =
        new NodeConfig(
            c.getString("CHAT_NODE_ID", defaultNodeId()),
            c.getString("CHAT_BIND_HOST", "0.0.0.0"),
            intOf(c, "CHAT_TCP_PORT", 6000),
            intOf(c, "CHAT_HTTP_PORT", 8080),
            blankToNull(c.getString("CHAT_DB_HOST")),
            intOf(c, "CHAT_DB_PORT", 3306),
            c.getString("CHAT_DB_NAME", "chat"),
            c.getString("CHAT_DB_USER", "chat"),
            c.getString("CHAT_DB_PASSWORD", ""),
            intOf(c, "CHAT_DB_POOL_SIZE", 8),
            c.getString("CHAT_DATA_DIR", "./data"),
            intOf(c, "CHAT_MAX_FRAME_BYTES", 65536),
            intOf(c, "CHAT_GATEWAY_INSTANCES", Runtime.getRuntime().availableProcessors()),
            intOf(c, "CHAT_BCRYPT_COST", 10),
            intOf(c, "CHAT_OFFLINE_PAGE", 500),
            blankToNull(c.getString("CHAT_REDIS_URL")),
            intOf(c, "CHAT_DELIVERED_FLUSH_MS", 200),
            Boolean.parseBoolean(String.valueOf(c.getValue("CHAT_CLUSTER", "false"))),
            c.getString("CHAT_CLUSTER_HOST", "127.0.0.1"),
            intOf(c, "CHAT_CLUSTER_PORT", 5701),
            c.getString("CHAT_CLUSTER_MEMBERS", ""),
            blankToNull(c.getString("CHAT_K8S_SERVICE")),
            rolesOf(c.getString("CHAT_ROLES", "gateway,chat,persistence")),
            c.copy());
    if (config.offlinePage < 1 || config.offlinePage > 10_000) {
      throw new IllegalArgumentException("CHAT_OFFLINE_PAGE must be 1..10000");
    }
    if (config.maxFrameBytes < 256 || config.maxFrameBytes > MAX_FRAME_CAP) {
      throw new IllegalArgumentException("CHAT_MAX_FRAME_BYTES must be 256.." + MAX_FRAME_CAP);
    }
    if (config.bcryptCost < 4 || config.bcryptCost > 31) {
      throw new IllegalArgumentException("CHAT_BCRYPT_COST must be 4..31");
    }
    return config;
  }

  boolean embeddedDb() {
    return dbHost == null && runs("persistence");
  }

  boolean runs(String role) {
    return roles.contains(role);
  }

  private static java.util.Set<String> rolesOf(String list) {
    java.util.Set<String> roles = new java.util.LinkedHashSet<>();
    for (String r : list.split(",")) {
      String role = r.trim().toLowerCase(java.util.Locale.ROOT);
      if (!java.util.Set.of("gateway", "chat", "persistence").contains(role)) {
        throw new IllegalArgumentException("CHAT_ROLES: unknown role '" + r + "' (gateway, chat, persistence)");
      }
      roles.add(role);
    }
    return roles;
  }

  /** Environment variables arrive as strings; files and tests may give numbers. */
  private static int intOf(JsonObject c, String key, int fallback) {
    Object v = c.getValue(key);
    if (v == null || v.toString().isBlank()) {
      return fallback;
    }
    try {
      return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
    }
  }

  /**
   * A numeric limit from the settings, checked against its range. Limits are read where the
   * verticle config is built, so each has one name (the environment variable) everywhere.
   */
  int limit(String key, int fallback, int min, int max) {
    int v = intOf(settings, key, fallback);
    if (v < min || v > max) {
      throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", got " + v);
    }
    return v;
  }

  /** CHAT_TOKEN_KEY, checked here so a bad key stops the node at start rather than at the first login. */
  private String tokenKey() {
    String key = blankToNull(settings.getString("CHAT_TOKEN_KEY"));
    if (key == null) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("CHAT_TOKEN_KEY must be base64"); // never echo the key
    }
    if (bytes.length < 32) {
      throw new IllegalArgumentException("CHAT_TOKEN_KEY must be at least 32 bytes, got " + bytes.length);
    }
    return key.trim();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String defaultNodeId() {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "node" : host) + "-" + ProcessHandle.current().pid();
  }

  JsonObject persistenceConfig() {
    return new JsonObject()
        .put("host", dbHost)
        .put("port", dbPort)
        .put("database", dbName)
        .put("user", dbUser)
        .put("password", dbPassword)
        .put("poolSize", dbPoolSize)
        .put("timeoutMs", limit("CHAT_DB_TIMEOUT_MS", 5000, 500, 25_000))
        .put("storeQueue", limit("CHAT_STORE_QUEUE", 10_000, 1, 1_000_000))
        .put("storeQueueBytes", limit("CHAT_STORE_QUEUE_BYTES", 64 * 1024 * 1024, 1024 * 1024, Integer.MAX_VALUE))
        .put("groupMaxMembers", limit("CHAT_GROUP_MAX_MEMBERS", 500, 2, 100_000))
        .put("maxGroupsPerUser", limit("CHAT_MAX_GROUPS_PER_USER", 200, 1, 100_000))
        .put("loginAckBytes", limit("CHAT_LOGIN_ACK_BYTES", 1024 * 1024, 4096, MAX_FRAME_CAP))
        // undelivered 1:1 messages per recipient: from senders they have not added, from anyone
        .put("strangerBacklog", limit("CHAT_STRANGER_BACKLOG", 1000, 1, 100_000_000))
        .put("maxBacklog", limit("CHAT_MAX_BACKLOG", 100_000, 1, 1_000_000_000))
        // how long a resend with the same (sender, cmid) still finds the stored message
        .put("dedupWindowMs", limit("CHAT_DEDUP_WINDOW_MS", 24 * 3600 * 1000, 1000, Integer.MAX_VALUE))
        .put("dedupPurgeBatch", limit("CHAT_DEDUP_PURGE_BATCH", 1000, 1, 100_000))
        .put("dedupPurgeMs", limit("CHAT_DEDUP_PURGE_MS", 60_000, 100, 86_400_000));
  }

  JsonObject chatConfig() {
    return new JsonObject()
        .put("bcryptCost", bcryptCost)
        .put("offlinePage", offlinePage)
        .put("redisUrl", redisUrl)
        .put("nodeId", nodeId)
        .put("hashQueue", limit("CHAT_HASH_QUEUE", 64, 1, 100_000))
        .put("hashQueuePerIp", limit("CHAT_HASH_QUEUE_PER_IP", 4, 1, 100_000))
        .put("loginRatePerIp", limit("CHAT_LOGIN_RATE_PER_IP", 5, 1, 100_000))
        .put("loginBurstPerIp", limit("CHAT_LOGIN_BURST_PER_IP", 20, 1, 100_000))
        .put("loginFreeFailures", limit("CHAT_LOGIN_FREE_FAILURES", 3, 1, 1000))
        .put("loginFreeFailuresPerIp", limit("CHAT_LOGIN_FREE_FAILURES_PER_IP", 10, 1, 100_000))
        .put("loginBackoffMs", limit("CHAT_LOGIN_BACKOFF_MS", 1000, 1, 3_600_000))
        .put("loginBackoffMaxMs", limit("CHAT_LOGIN_BACKOFF_MAX_MS", 300_000, 1, 86_400_000))
        .put("loginTracked", limit("CHAT_LOGIN_TRACKED", 100_000, 100, 10_000_000))
        // a week; an int of milliseconds reaches 24 days, longer than a resume token should live
        .put("tokenTtlMs", limit("CHAT_TOKEN_TTL_MS", 7 * 24 * 3600 * 1000, 1000, Integer.MAX_VALUE))
        .put("tokenKey", tokenKey())
        // how long a killed node's users still count as online; a lapse of this long reaps a node
        .put("nodeTtlMs", limit("CHAT_NODE_TTL_MS", 5000, 500, 600_000))
        .put("reapPage", limit("CHAT_REAP_PAGE", 100, 1, 10_000))
        .put("reapMaxUsers", limit("CHAT_REAP_MAX_USERS", 1000, 1, 1_000_000))
        .put("presenceMaxOpen", limit("CHAT_PRESENCE_MAX_OPEN", 100_000, 1, 10_000_000))
        // behind a proxy on this host every client has the proxy's address: do not limit it
        .put("loginIpExempt", settings.getString("CHAT_LOGIN_IP_EXEMPT", "127.0.0.1,::1,0:0:0:0:0:0:0:1"));
  }

  JsonObject gatewayConfig() {
    JsonObject g = new JsonObject()
        .put("host", bindHost)
        .put("port", tcpPort)
        .put("maxFrameBytes", maxFrameBytes)
        .put("offlinePage", offlinePage)
        .put("deliveredFlushMs", deliveredFlushMs)
        .put("nodeId", nodeId);
    // unset limits keep the gateway's defaults, some of which follow the heap size
    optional(g, "maxConnections", "CHAT_MAX_CONNECTIONS", 1, 1_000_000, 1);
    optional(g, "maxConnectionsPerIp", "CHAT_MAX_CONNECTIONS_PER_IP", 1, 1_000_000, 1);
    optional(g, "connectRatePerIp", "CHAT_CONNECT_RATE_PER_IP", 1, 1_000_000, 1);
    optional(g, "connectBurstPerIp", "CHAT_CONNECT_BURST_PER_IP", 1, 1_000_000, 1);
    optional(g, "banMs", "CHAT_BAN_MS", 0, 86_400_000, 1);
    optional(g, "loginTimeoutMs", "CHAT_LOGIN_TIMEOUT_MS", 0, 86_400_000, 1);
    optional(g, "idleTimeoutMs", "CHAT_IDLE_TIMEOUT_MS", 0, 7 * 86_400_000, 1);
    optional(g, "frameTimeoutMs", "CHAT_FRAME_TIMEOUT_MS", 100, 3_600_000, 1);
    optional(g, "outboundBytes", "CHAT_OUTBOUND_BYTES", 64 * 1024, 1 << 30, 1);
    optional(g, "nodeInboundBytes", "CHAT_NODE_INBOUND_MB", 1, 1 << 20, 1 << 20);
    optional(g, "nodeOutboundBytes", "CHAT_NODE_OUTBOUND_MB", 1, 1 << 20, 1 << 20);
    optional(g, "frameRate", "CHAT_REQUEST_RATE", 1, 10_000_000, 1);
    optional(g, "frameBurst", "CHAT_REQUEST_BURST", 1, 10_000_000, 1);
    optional(g, "messageRate", "CHAT_MESSAGE_RATE", 1, 10_000_000, 1);
    optional(g, "messageBurst", "CHAT_MESSAGE_BURST", 1, 10_000_000, 1);
    optional(g, "strikes", "CHAT_STRIKES", 1, 1_000_000, 1);
    optional(g, "maxInFlight", "CHAT_MAX_PENDING_REQUESTS", 2, 100_000, 1);
    if (settings.containsKey("CHAT_PROXY_PROTOCOL")) {
      g.put("proxyProtocol", Boolean.parseBoolean(String.valueOf(settings.getValue("CHAT_PROXY_PROTOCOL")).trim()));
    }
    String cert = blankToNull(settings.getString("CHAT_TLS_CERT"));
    String key = blankToNull(settings.getString("CHAT_TLS_KEY"));
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("CHAT_TLS_CERT and CHAT_TLS_KEY go together (PEM files)");
    }
    if (cert != null) {
      g.put("tlsCert", cert).put("tlsKey", key);
    }
    g.put("webOrigins", settings.getString("CHAT_WEB_ORIGINS", ""));
    g.put("trustedProxies", settings.getString("CHAT_TRUSTED_PROXIES", ""));
    return g;
  }

  /** Copies a set limit into a verticle config, range-checked and scaled (MiB to bytes). */
  private void optional(JsonObject target, String key, String env, int min, int max, long scale) {
    Object v = settings.getValue(env);
    if (v != null && !v.toString().isBlank()) {
      target.put(key, limit(env, 0, min, max) * scale);
    }
  }

  NodeConfig withDatabase(String host, int port, String user, String password) {
    return new NodeConfig(
        nodeId, bindHost, tcpPort, httpPort, host, port, dbName, user, password, dbPoolSize,
        dataDir, maxFrameBytes, gatewayInstances, bcryptCost, offlinePage, redisUrl, deliveredFlushMs, cluster, clusterHost, clusterPort, clusterMembers,
        k8sService, roles, settings);
  }
}
