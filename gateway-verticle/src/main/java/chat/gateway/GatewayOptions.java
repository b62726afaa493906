package chat.gateway;

import io.vertx.core.json.JsonObject;

/**
 * Limits and ports of the TCP gateway, from the verticle config. Every limit has a default
 * that is safe for a small heap; the node derives the memory budgets from its heap size.
 */
record GatewayOptions(
    String host,
    int port,
    int maxFrameBytes,
    int maxDepth,
    int maxInFlight,
    long deliveredFlushMs,
    int offlinePage,
    long sweepMs,
    long gapWaitMs,
    String nodeId,
    int maxConnections,
    int maxConnectionsPerIp,
    int maxTrackedAddresses,
    double connectRatePerIp,
    int connectBurstPerIp,
    long banMs,
    long loginTimeoutMs,
    long idleTimeoutMs,
    long frameTimeoutMs,
    int outboundBytes,
    long nodeInboundBytes,
    long nodeOutboundBytes,
    double frameRate,
    int frameBurst,
    double messageRate,
    int messageBurst,
    int strikes,
    boolean proxyProtocol,
    String tlsCert,
    String tlsKey,
    int httpPort,
    java.util.List<String> webOrigins,
    java.util.List<String> trustedProxies) {

  static GatewayOptions from(JsonObject c) {
    long heap = Runtime.getRuntime().maxMemory();
    return new GatewayOptions(
        c.getString("host", "0.0.0.0"),
        c.getInteger("port", 6000),
        c.getInteger("maxFrameBytes", 65536),
        c.getInteger("maxDepth", 32),
        c.getInteger("maxInFlight", 64),
        c.getLong("deliveredFlushMs", 200L),
        c.getInteger("offlinePage", 500),
        c.getLong("sweepMs", 30_000L),
        c.getLong("gapWaitMs", 100L),
        c.getString("nodeId", "node"),
        c.getInteger("maxConnections", defaultMaxConnections(heap)),
        c.getInteger("maxConnectionsPerIp", 256),
        c.getInteger("maxTrackedAddresses", 100_000),
        c.getDouble("connectRatePerIp", 20.0),
        c.getInteger("connectBurstPerIp", 100),
        c.getLong("banMs", 60_000L),
        c.getLong("loginTimeoutMs", 60_000L),
        c.getLong("idleTimeoutMs", 30 * 60_000L),
        c.getLong("frameTimeoutMs", 10_000L),
        c.getInteger("outboundBytes", 2 * 1024 * 1024),
        c.getLong("nodeInboundBytes", heap / 8),
        c.getLong("nodeOutboundBytes", heap / 4),
        c.getDouble("frameRate", 200.0),
        c.getInteger("frameBurst", 400),
        c.getDouble("messageRate", 100.0),
        c.getInteger("messageBurst", 200),
        c.getInteger("strikes", 20),
        c.getBoolean("proxyProtocol", false),
        c.getString("tlsCert"),
        c.getString("tlsKey"),
        c.getInteger("httpPort", -1),
        origins(c.getString("webOrigins", "")),
        origins(c.getString("trustedProxies", "")));
  }

  /** -1: no web server in this gateway (the node serves /health itself). */
  boolean serveWeb() {
    return httpPort >= 0;
  }

  /** A comma-separated list (origins such as "https://chat.example.com", or proxy addresses); blanks dropped. */
  static java.util.List<String> origins(String list) {
    return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
  }

  /**
   * About 256 KiB of heap per connection (room for a full inbound frame and some outbound data),
   * and below the process's file limit with room to spare: a node out of descriptors cannot
   * reach its database or answer /health.
   */
  static int defaultMaxConnections(long heapBytes) {
    return defaultMaxConnections(heapBytes, maxFileDescriptors());
  }

  static int defaultMaxConnections(long heapBytes, long maxFiles) {
    long byHeap = heapBytes / (256 * 1024);
    // refused connections hold a descriptor until they are closed, so a burst needs room too
    long byFiles = maxFiles > 0 ? maxFiles - Math.max(FILES_RESERVED, maxFiles / 4) : Long.MAX_VALUE;
    return (int) Math.max(64, Math.min(50_000, Math.min(byHeap, byFiles)));
  }

  /** Descriptors kept at least for everything but chat connections: database, Redis, cluster, logs, /health, refusals. */
  static final int FILES_RESERVED = 256;

  /** The process's limit on open files, or -1 where the JVM cannot tell. */
  static long maxFileDescriptors() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }
}
