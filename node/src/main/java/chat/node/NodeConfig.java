package chat.node;

import chat.gateway.GatewayOptions;
import chat.logic.ChatOptions;
import chat.persistence.DbSettings;
import chat.protocol.Setting;
import chat.protocol.Settings;
import chat.protocol.SharedSettings;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The node's settings: its own, and the options of the verticles it deploys. Keys are the
 * environment variable names, in the config file, on the command line and in the split mode's
 * files alike, so one table documents all of them. This is the one place where CHAT_* values
 * become options; each options record declares its settings and their defaults.
 */
record NodeConfig(
    String nodeId,
    int httpPort,
    int managementPort,
    String managementHost,
    String dataDir,
    int gatewayInstances,
    boolean cluster,
    String clusterHost,
    int clusterPort,
    String clusterMembers,
    String k8sService,
    Set<String> roles,
    String logFormat,
    GatewayOptions gateway,
    ChatOptions chat,
    DbSettings persistence) {

  static final Setting HTTP_PORT = Setting.number("CHAT_HTTP_PORT", 8080, 0, 65_535);
  /** Probes (and, later, metrics): a port of their own, so a flood on the public ports cannot starve them. */
  static final Setting MANAGEMENT_PORT = Setting.number("CHAT_MANAGEMENT_PORT", 9090, 0, 65_535);
  /** Loopback: reachable by a local agent only; in Kubernetes 0.0.0.0 (the kubelet probes the pod's address). */
  static final Setting MANAGEMENT_HOST = Setting.text("CHAT_MANAGEMENT_HOST", "127.0.0.1");
  static final Setting DATA_DIR = Setting.text("CHAT_DATA_DIR", "./data");
  /** Unset: one gateway (event loop) per core. */
  static final Setting GATEWAY_INSTANCES = Setting.derived("CHAT_GATEWAY_INSTANCES", 1, 1024);
  static final Setting CLUSTER = Setting.flag("CHAT_CLUSTER", false);
  static final Setting CLUSTER_HOST = Setting.text("CHAT_CLUSTER_HOST", "127.0.0.1");
  static final Setting CLUSTER_PORT = Setting.number("CHAT_CLUSTER_PORT", 5701, 1, 65_535);
  /** host:port,host:port of the TCP-IP join; empty: this member alone. */
  static final Setting CLUSTER_MEMBERS = Setting.text("CHAT_CLUSTER_MEMBERS", "");
  /** A headless service: Hazelcast's Kubernetes discovery instead of TCP-IP. */
  static final Setting K8S_SERVICE = Setting.text("CHAT_K8S_SERVICE", null);
  static final Setting ROLES = Setting.text("CHAT_ROLES", "gateway,chat,persistence");
  /** text, or json: one JSON object a line (see LogLayout). */
  static final Setting LOG_FORMAT = Setting.text("CHAT_LOG_FORMAT", "text");

  static final List<Setting> SETTINGS =
      List.of(HTTP_PORT, MANAGEMENT_PORT, MANAGEMENT_HOST, DATA_DIR, GATEWAY_INSTANCES, CLUSTER, CLUSTER_HOST, CLUSTER_PORT, CLUSTER_MEMBERS, K8S_SERVICE, ROLES,
          LOG_FORMAT);

  private static final Set<String> ALL_ROLES = Set.of("gateway", "chat", "persistence");

  /** From CHAT_* values; a bad one throws IllegalArgumentException with a message naming it. */
  static NodeConfig from(JsonObject c) {
    Settings s = new Settings(c);
    return new NodeConfig(
        SharedSettings.nodeId(s),
        s.integer(HTTP_PORT),
        s.integer(MANAGEMENT_PORT),
        s.text(MANAGEMENT_HOST),
        s.text(DATA_DIR),
        s.has(GATEWAY_INSTANCES) ? s.integer(GATEWAY_INSTANCES) : Runtime.getRuntime().availableProcessors(),
        s.flag(CLUSTER),
        s.text(CLUSTER_HOST),
        s.integer(CLUSTER_PORT),
        s.text(CLUSTER_MEMBERS),
        s.optionalText(K8S_SERVICE),
        rolesOf(s.text(ROLES)),
        logFormatOf(s.text(LOG_FORMAT)),
        GatewayOptions.of(s),
        ChatOptions.of(s),
        DbSettings.of(s));
  }

  boolean embeddedDb() {
    return persistence.host() == null && runs("persistence");
  }

  boolean runs(String role) {
    return roles.contains(role);
  }

  private static Set<String> rolesOf(String list) {
    Set<String> roles = new LinkedHashSet<>();
    for (String r : list.split(",")) {
      String role = r.trim().toLowerCase(Locale.ROOT);
      if (!ALL_ROLES.contains(role)) {
        throw new IllegalArgumentException(ROLES.name() + ": unknown role '" + r + "' (gateway, chat, persistence)");
      }
      roles.add(role);
    }
    return roles;
  }

  private static String logFormatOf(String format) {
    String f = format.trim().toLowerCase(Locale.ROOT);
    if (!f.equals("text") && !f.equals("json")) {
      throw new IllegalArgumentException(LOG_FORMAT.name() + " must be text or json, got '" + format + "'");
    }
    return f;
  }

  NodeConfig withDatabase(String host, int port, String user, String password) {
    return new NodeConfig(
        nodeId, httpPort, managementPort, managementHost, dataDir, gatewayInstances, cluster, clusterHost, clusterPort, clusterMembers, k8sService,
        roles, logFormat, gateway, chat, persistence.withServer(host, port, user, password));
  }
}
