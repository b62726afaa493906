package chat.gateway;

import chat.protocol.OptionsJson;
import chat.protocol.Setting;
import chat.protocol.Settings;
import chat.protocol.VerticleOptions;
import chat.protocol.SharedSettings;
import io.vertx.core.json.JsonObject;

/**
 * Limits and ports of the TCP gateway. The node builds it from its CHAT_* settings ({@link #of})
 * and deploys it as JSON ({@link #toJson}); the verticle reads it back with {@link #from}. Each
 * default is in one constant below; the memory budgets and the connection cap follow the heap.
 */
public record GatewayOptions(
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
    long addressBanMs,
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
    java.util.List<String> trustedProxies,
    java.util.List<String> loginIpExempt,
    int httpMaxConnectionsPerIp,
    double httpConnectRatePerIp,
    int httpConnectBurstPerIp,
    long httpHeaderTimeoutMs,
    int preLoginPerIp,
    int maxPreLogin,
    long drainMs,
    int logConnectionsPerSec,
    int classicResendEntries,
    long classicResendMs) implements VerticleOptions {

  static final Setting BIND_HOST = Setting.text("CHAT_BIND_HOST", "0.0.0.0");
  static final Setting TCP_PORT = Setting.number("CHAT_TCP_PORT", 6000, 0, 65_535);
  /**
   * How long a stopping node (SIGTERM) gives its clients: v2 clients are told to reconnect
   * elsewhere, classic ones are signed off after their last write; past it the rest are cut.
   */
  static final Setting DRAIN_MS = Setting.number("CHAT_DRAIN_MS", 10_000, 0, 600_000);
  static final Setting MAX_FRAME_BYTES = Setting.number("CHAT_MAX_FRAME_BYTES", 65_536, 256, SharedSettings.FRAME_CAP);
  static final Setting MAX_PENDING_REQUESTS = Setting.number("CHAT_MAX_PENDING_REQUESTS", 64, 2, 100_000);
  static final Setting DELIVERED_FLUSH_MS = Setting.number("CHAT_DELIVERED_FLUSH_MS", 200, 1, 3_600_000);
  /** Unset: heap / 256 KiB, below the open-file limit ({@link #defaultMaxConnections}). */
  static final Setting MAX_CONNECTIONS = Setting.derived("CHAT_MAX_CONNECTIONS", 1, 1_000_000);
  static final Setting MAX_CONNECTIONS_PER_IP = Setting.number("CHAT_MAX_CONNECTIONS_PER_IP", 256, 1, 1_000_000);
  static final Setting CONNECT_RATE_PER_IP = Setting.number("CHAT_CONNECT_RATE_PER_IP", 20, 1, 1_000_000);
  static final Setting CONNECT_BURST_PER_IP = Setting.number("CHAT_CONNECT_BURST_PER_IP", 100, 1, 1_000_000);
  /** An account's ban after CHAT_STRIKES over-limit events of one logged-in connection; 0: none. */
  static final Setting BAN_MS = Setting.number("CHAT_BAN_MS", 60_000, 0, 86_400_000);
  /** An address's ban after CHAT_STRIKES over-limit events before a login: short, as it may hold many clients; 0: none. */
  static final Setting ADDRESS_BAN_MS = Setting.number("CHAT_ADDRESS_BAN_MS", 10_000, 0, 3_600_000);
  static final Setting LOGIN_TIMEOUT_MS = Setting.number("CHAT_LOGIN_TIMEOUT_MS", 60_000, 0, 86_400_000);
  static final Setting IDLE_TIMEOUT_MS = Setting.number("CHAT_IDLE_TIMEOUT_MS", 30 * 60_000, 0, 7 * 86_400_000L);
  static final Setting FRAME_TIMEOUT_MS = Setting.number("CHAT_FRAME_TIMEOUT_MS", 10_000, 100, 3_600_000);
  static final Setting OUTBOUND_BYTES = Setting.number("CHAT_OUTBOUND_BYTES", 2 * 1024 * 1024, 64 * 1024, 1 << 30);
  /** MiB; unset: an eighth of the heap for unfinished inbound frames. */
  static final Setting NODE_INBOUND_MB = Setting.derived("CHAT_NODE_INBOUND_MB", 1, 1 << 20);
  /** MiB; unset: a quarter of the heap for unsent bytes. */
  static final Setting NODE_OUTBOUND_MB = Setting.derived("CHAT_NODE_OUTBOUND_MB", 1, 1 << 20);
  static final Setting REQUEST_RATE = Setting.number("CHAT_REQUEST_RATE", 200, 1, 10_000_000);
  static final Setting REQUEST_BURST = Setting.number("CHAT_REQUEST_BURST", 400, 1, 10_000_000);
  static final Setting MESSAGE_RATE = Setting.number("CHAT_MESSAGE_RATE", 100, 1, 10_000_000);
  static final Setting MESSAGE_BURST = Setting.number("CHAT_MESSAGE_BURST", 200, 1, 10_000_000);
  static final Setting STRIKES = Setting.number("CHAT_STRIKES", 20, 1, 1_000_000);
  static final Setting PROXY_PROTOCOL = Setting.flag("CHAT_PROXY_PROTOCOL", false);
  /** PEM files, both or neither: the chat port speaks TLS. */
  static final Setting TLS_CERT = Setting.text("CHAT_TLS_CERT", null);
  static final Setting TLS_KEY = Setting.text("CHAT_TLS_KEY", null);
  static final Setting WEB_ORIGINS = Setting.text("CHAT_WEB_ORIGINS", "");
  static final Setting TRUSTED_PROXIES = Setting.text("CHAT_TRUSTED_PROXIES", "");
  static final Setting HTTP_MAX_CONNECTIONS_PER_IP = Setting.number("CHAT_HTTP_MAX_CONNECTIONS_PER_IP", 256, 1, 1_000_000);
  static final Setting HTTP_CONNECT_RATE_PER_IP = Setting.number("CHAT_HTTP_CONNECT_RATE_PER_IP", 20, 1, 1_000_000);
  static final Setting HTTP_CONNECT_BURST_PER_IP = Setting.number("CHAT_HTTP_CONNECT_BURST_PER_IP", 100, 1, 1_000_000);
  static final Setting HTTP_HEADER_TIMEOUT_MS = Setting.number("CHAT_HTTP_HEADER_TIMEOUT_MS", 10_000, 100, 3_600_000);
  static final Setting PRELOGIN_PER_IP = Setting.number("CHAT_PRELOGIN_PER_IP", 64, 1, 1_000_000);
  /**
   * INFO lines about connections (opened, logged in, logged out, closed) per second, for the whole
   * node; past it they are counted and summed up in one line a second. 0: none.
   */
  static final Setting LOG_CONNECTIONS_PER_SEC = Setting.number("CHAT_LOG_CONNECTIONS_PER_SEC", 100, 0, 1_000_000);
  /** Unset: a quarter of the connection cap. */
  static final Setting MAX_PRELOGIN = Setting.derived("CHAT_MAX_PRELOGIN", 1, 1_000_000);
  /** Classic sends whose outcome was unknown, remembered so that a resend is deduplicated (node-wide). */
  static final Setting CLASSIC_RESEND_ENTRIES = Setting.number("CHAT_CLASSIC_RESEND_ENTRIES", 10_000, 0, 10_000_000);
  static final Setting CLASSIC_RESEND_MS = Setting.number("CHAT_CLASSIC_RESEND_MS", 120_000, 1_000, 86_400_000);

  /** Every setting this record reads, for the tests that hold each to one default. */
  public static final java.util.List<Setting> SETTINGS = java.util.List.of(
      BIND_HOST, TCP_PORT, MAX_FRAME_BYTES, MAX_PENDING_REQUESTS, DELIVERED_FLUSH_MS, SharedSettings.OFFLINE_PAGE,
      SharedSettings.NODE_ID, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP, CONNECT_RATE_PER_IP, CONNECT_BURST_PER_IP,
      BAN_MS, ADDRESS_BAN_MS, LOGIN_TIMEOUT_MS, IDLE_TIMEOUT_MS, FRAME_TIMEOUT_MS, OUTBOUND_BYTES, NODE_INBOUND_MB,
      NODE_OUTBOUND_MB, REQUEST_RATE, REQUEST_BURST, MESSAGE_RATE, MESSAGE_BURST, STRIKES, PROXY_PROTOCOL,
      TLS_CERT, TLS_KEY, WEB_ORIGINS, TRUSTED_PROXIES, HTTP_MAX_CONNECTIONS_PER_IP, HTTP_CONNECT_RATE_PER_IP,
      HTTP_CONNECT_BURST_PER_IP, HTTP_HEADER_TIMEOUT_MS, PRELOGIN_PER_IP, MAX_PRELOGIN, DRAIN_MS,
      LOG_CONNECTIONS_PER_SEC, CLASSIC_RESEND_ENTRIES, CLASSIC_RESEND_MS,
      SharedSettings.LOGIN_IP_EXEMPT);

  // not settings: fixed by the protocol or by how the gateway works, kept here as options for tests
  static final int MAX_DEPTH = 32;
  static final long SWEEP_MS = 30_000;
  static final long GAP_WAIT_MS = 100;
  static final int MAX_TRACKED_ADDRESSES = 100_000;
  /** No web server in this gateway (the node serves /health itself); the node sets the port. */
  static final int NO_WEB = -1;

  /** Built from CHAT_* settings, each checked against its range; called by the node's config. */
  public static GatewayOptions of(Settings s) {
    long heap = Runtime.getRuntime().maxMemory();
    String cert = s.optionalText(TLS_CERT);
    String key = s.optionalText(TLS_KEY);
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(TLS_CERT.name() + " and " + TLS_KEY.name() + " go together (PEM files)");
    }
    int maxConnections = s.has(MAX_CONNECTIONS) ? s.integer(MAX_CONNECTIONS) : defaultMaxConnections(heap);
    return new GatewayOptions(
        s.text(BIND_HOST),
        s.integer(TCP_PORT),
        s.integer(MAX_FRAME_BYTES),
        MAX_DEPTH,
        s.integer(MAX_PENDING_REQUESTS),
        s.number(DELIVERED_FLUSH_MS),
        s.integer(SharedSettings.OFFLINE_PAGE),
        SWEEP_MS,
        GAP_WAIT_MS,
        SharedSettings.nodeId(s),
        maxConnections,
        s.integer(MAX_CONNECTIONS_PER_IP),
        MAX_TRACKED_ADDRESSES,
        s.number(CONNECT_RATE_PER_IP),
        s.integer(CONNECT_BURST_PER_IP),
        s.number(BAN_MS),
        s.number(ADDRESS_BAN_MS),
        s.number(LOGIN_TIMEOUT_MS),
        s.number(IDLE_TIMEOUT_MS),
        s.number(FRAME_TIMEOUT_MS),
        s.integer(OUTBOUND_BYTES),
        s.has(NODE_INBOUND_MB) ? s.number(NODE_INBOUND_MB) << 20 : heap / 8,
        s.has(NODE_OUTBOUND_MB) ? s.number(NODE_OUTBOUND_MB) << 20 : heap / 4,
        s.number(REQUEST_RATE),
        s.integer(REQUEST_BURST),
        s.number(MESSAGE_RATE),
        s.integer(MESSAGE_BURST),
        s.integer(STRIKES),
        s.flag(PROXY_PROTOCOL),
        cert,
        key,
        NO_WEB,
        origins(s.text(WEB_ORIGINS)),
        origins(s.text(TRUSTED_PROXIES)),
        origins(s.text(SharedSettings.LOGIN_IP_EXEMPT)),
        s.integer(HTTP_MAX_CONNECTIONS_PER_IP),
        s.number(HTTP_CONNECT_RATE_PER_IP),
        s.integer(HTTP_CONNECT_BURST_PER_IP),
        s.number(HTTP_HEADER_TIMEOUT_MS),
        s.integer(PRELOGIN_PER_IP),
        s.has(MAX_PRELOGIN) ? s.integer(MAX_PRELOGIN) : Math.max(1, maxConnections / 4),
        s.number(DRAIN_MS),
        s.integer(LOG_CONNECTIONS_PER_SEC),
        s.integer(CLASSIC_RESEND_ENTRIES),
        s.number(CLASSIC_RESEND_MS));
  }

  public static GatewayOptions defaults() {
    return of(Settings.NONE);
  }

  public static GatewayOptions from(JsonObject config) {
    return OptionsJson.read(GatewayOptions.class, config, defaults());
  }

  /** These options with the web server on {@code port} (resolved by the node, as every instance shares it). */
  public GatewayOptions withHttpPort(int port) {
    return OptionsJson.read(GatewayOptions.class, new JsonObject().put("httpPort", port), this);
  }

  /** Whether this gateway serves the web client, its WebSocket and /health. */
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
