package chat.gateway;

import io.vertx.core.Vertx;

/**
 * Whether this node takes new clients, for its readiness probe: a node whose gateways refuse every
 * new connection (full, see {@link ConnectionGuard#refusing}) is taken out of a balancer's rotation
 * until it admits again, instead of answering each new client 1017.
 */
public final class NodeCapacity {
  private static final String MAP = "chat.gateway";
  private static final String GUARD = "guard";

  private NodeCapacity() {}

  /** The guard of this Vert.x instance's gateways: the first instance creates it. */
  static ConnectionGuard guard(Vertx vertx, GatewayOptions options) {
    return (ConnectionGuard) vertx.sharedData().getLocalMap(MAP).computeIfAbsent(GUARD, k -> new ConnectionGuard(options, System::nanoTime));
  }

  /** Why the gateways refuse every new connection now, or null while they admit (or none run here). A map read and counters. */
  public static String refusing(Vertx vertx) {
    Object guard = vertx.sharedData().getLocalMap(MAP).get(GUARD);
    return guard instanceof ConnectionGuard g ? g.refusing() : null;
  }
}
