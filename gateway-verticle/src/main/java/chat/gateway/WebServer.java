package chat.gateway;

import chat.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.function.BiConsumer;

/**
 * The node's HTTP port: the web client's page (static files from the classpath's
 * {@code webroot/}), its WebSocket at {@code /ws}, and {@code /health}, which the node answers
 * over the event bus. Every gateway instance listens on the same port; Vert.x spreads the
 * connections over them, so a WebSocket session lives on its gateway's event loop like a TCP one.
 */
final class WebServer {
  static final String WS_PATH = "/ws";
  /** No inline script or style, no framing, nothing fetched from elsewhere: a message rendered by mistake as HTML still runs nothing. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final int HEALTH_TIMEOUT_MS = 3000;

  private WebServer() {}

  /**
   * Starts the server; {@code accept} gets each upgraded WebSocket with the client's address.
   * The WebSocket limits follow the TCP frame limit, with room for the parser to answer an
   * oversized frame with its error frame; beyond that Vert.x closes with status 1009.
   */
  static Future<HttpServer> start(Vertx vertx, GatewayOptions options, ConnectionGuard guard,
      BiConsumer<ServerWebSocket, String> accept) {
    Router router = Router.router(vertx);
    router.route().handler(WebServer::securityHeaders);
    router.get("/health").handler(rc -> health(vertx, rc));
    router.route().handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
    int wsLimit = options.maxFrameBytes() + 4096;
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.httpPort())
        .setTcpNoDelay(true)
        .setIdleTimeout(120) // an idle HTTP keep-alive connection; WebSocket sessions have their own timeouts
        // HTTP/1.1 only: with h2c on, Vert.x waits for the first bytes before it makes the
        // connection (and calls the connection handler that counts it against the cap)
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(wsLimit)
        .setMaxWebSocketMessageSize(wsLimit);
    // the upgrade is the server's, not the router's: vert.x-web would hand over a wrapper that hides the transport
    return vertx.createHttpServer(serverOptions)
        .connectionHandler(conn -> {
          if (guard.openHttp()) {
            conn.closeHandler(v -> guard.closeHttp());
          } else {
            conn.close();
          }
        })
        .webSocketHandshakeHandler(h -> handshake(h, options))
        .webSocketHandler(ws -> accept.accept(ws, clientAddress(
            ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress(), ws.headers().get("X-Real-IP"), options.trustedProxies())))
        .requestHandler(router)
        .listen();
  }

  private static void securityHeaders(RoutingContext rc) {
    rc.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    rc.next();
  }

  private static void handshake(ServerWebSocketHandshake h, GatewayOptions options) {
    if (!WS_PATH.equals(h.path())) {
      h.reject(404);
    } else if (!originAllowed(h.headers().get("Origin"), h.headers().get("Host"), h.isSsl(), options.webOrigins())) {
      h.reject(403);
    } else {
      h.accept();
    }
  }

  /**
   * The address the per-address limits count: the peer's, or, when the peer is a proxy named in
   * {@code CHAT_TRUSTED_PROXIES}, the client address it puts in {@code X-Real-IP} (nginx:
   * {@code proxy_set_header X-Real-IP $remote_addr}). Otherwise every browser behind one proxy
   * would share one address's connection cap. From anyone else the header is ignored: a client
   * must not choose the address it is limited as.
   */
  static String clientAddress(String peer, String realIp, java.util.List<String> trusted) {
    if (realIp == null || !trusted.contains(peer)) {
      return peer;
    }
    String claimed = realIp.trim();
    return claimed.isEmpty() || claimed.length() > 45 ? peer : claimed;
  }

  /**
   * A browser always names the page's origin; a page elsewhere must not drive a user's session
   * here (cross-site WebSocket hijacking). Without the header the client is not a browser, and
   * nothing of a user's is at stake.
   */
  static boolean originAllowed(String origin, String host, boolean tls, java.util.List<String> allowed) {
    if (origin == null) {
      return true;
    }
    if (allowed.contains(origin)) {
      return true;
    }
    return host != null && origin.equals((tls ? "https://" : "http://") + host);
  }

  private static void health(Vertx vertx, RoutingContext rc) {
    vertx.eventBus().<JsonObject>request(Addresses.NODE_HEALTH, new JsonObject(),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(HEALTH_TIMEOUT_MS))
        .onComplete(ar -> {
          JsonObject body = ar.succeeded() ? ar.result().body().copy() : new JsonObject().put("status", "DOWN").put("code", 503);
          int code = (Integer) body.remove("code");
          rc.response().setStatusCode(code).putHeader("content-type", "application/json").end(body.encode());
        });
  }
}
