package chat.gateway;

import io.vertx.core.json.JsonObject;

/** Limits and ports of the TCP gateway, from the verticle config. */
record GatewayOptions(
    String host,
    int port,
    int maxFrameBytes,
    int maxDepth,
    int maxInFlight,
    int writeQueueBytes,
    long deliveredFlushMs,
    int offlinePage,
    long sweepMs,
    long gapWaitMs,
    String nodeId) {

  static GatewayOptions from(JsonObject c) {
    return new GatewayOptions(
        c.getString("host", "0.0.0.0"),
        c.getInteger("port", 6000),
        c.getInteger("maxFrameBytes", 65536),
        c.getInteger("maxDepth", 32),
        c.getInteger("maxInFlight", 64),
        c.getInteger("writeQueueBytes", 4 * 1024 * 1024),
        c.getLong("deliveredFlushMs", 200L),
        c.getInteger("offlinePage", 500),
        c.getLong("sweepMs", 30_000L),
        c.getLong("gapWaitMs", 100L),
        c.getString("nodeId", "node"));
  }
}
