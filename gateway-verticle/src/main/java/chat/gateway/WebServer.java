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
 * {@code webroot/}), its WebSocket at {@code /ws}, and a public {@code /health} that tells the
 * status only (the node answers it over the event bus; the details are on the management port). Every gateway instance listens on the same port; Vert.x spreads the
 * connections over them, so a WebSocket session lives on its gateway's event loop like a TCP one.
 */
final class WebServer {
  static final String WS_PATH = "/ws";
  /** No inline script or style, no framing, nothing fetched from elsewhere: a message rendered by mistake as HTML still runs nothing. */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final int HEALTH_TIMEOUT_MS = 3000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebServer.class);

  private WebServer() {}

  /**
   * Starts the server; {@code accept} gets each upgraded WebSocket with the client's address.
   * The WebSocket limits follow the TCP frame limit, with room for the parser to answer an
   * oversized frame with its error frame; beyond that the connection closes with status 1009.
   * Each connection is counted by its peer against the per-address and node-wide caps, and must
   * finish its request headers within the header timeout ({@link HttpDeadlines}).
   */
  static Future<HttpServer> start(Vertx vertx, GatewayOptions options, ConnectionGuard guard,
      BiConsumer<ServerWebSocket, String> accept) {
    int wsLimit = webSocketLimit(options);
    WebOrigins origins = WebOrigins.of(options);
    HttpDeadlines deadlines = new HttpDeadlines(options.httpHeaderTimeoutMs(), new HttpDeadlines.Timers() {
      @Override
      public long set(long ms, Runnable action) {
        return vertx.setTimer(ms, id -> action.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    });
    Router router = Router.router(vertx);
    router.route().handler(rc -> {
      Object key = key(rc.request().connection().remoteAddress(), rc.request().connection().localAddress());
      rc.addEndHandler(ar -> deadlines.requestEnded(key)); // through the router, which owns the response's end handler
      securityHeaders(rc);
    });
    router.get("/health").handler(rc -> health(vertx, rc));
    router.route().handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));
    long[] refused = {0}; // this server instance's, on its event loop
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.httpPort())
        .setTcpNoDelay(true)
        .setIdleTimeout(120) // no byte in or out for this long; the header timeout bounds a request that drips
        // HTTP/1.1 only: with h2c on, Vert.x waits for the first bytes before it makes the
        // connection (and calls the connection handler that counts it against the cap)
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(wsLimit)
        .setMaxWebSocketMessageSize(wsLimit);
    // the upgrade is the server's, not the router's: vert.x-web would hand over a wrapper that hides the transport
    return vertx.createHttpServer(serverOptions)
        .connectionHandler(conn -> {
          String peer = conn.remoteAddress() == null ? "?" : conn.remoteAddress().hostAddress();
          ConnectionGuard.Refusal refusal = guard.openHttp(peer);
          if (refusal != ConnectionGuard.Refusal.NONE) {
            if (refused[0]++ % 1000 == 0) {
              LOG.warn("refusing HTTP connections ({}, {} so far on this server): {} open on the node", refusal, refused[0], guard.httpConnections());
            }
            conn.close();
            return;
          }
          Object key = key(conn.remoteAddress(), conn.localAddress());
          deadlines.opened(key, conn::close);
          conn.closeHandler(v -> {
            guard.closeHttp(peer);
            deadlines.forget(key);
          });
        })
        .webSocketHandshakeHandler(h -> handshake(h, origins))
        .webSocketHandler(ws -> {
          deadlines.forget(key(ws.remoteAddress(), ws.localAddress()));
          accept.accept(ws, clientAddress(
              ws.remoteAddress() == null ? "?" : ws.remoteAddress().hostAddress(), ws.headers().get("X-Real-IP"), options.trustedProxies()));
        })
        .requestHandler(req -> {
          Object key = key(req.connection().remoteAddress(), req.connection().localAddress());
          deadlines.requestBegan(key);
          router.handle(req);
        })
        .listen();
  }

  /** The largest WebSocket frame and message: a frame of CHAT_MAX_FRAME_BYTES with room for the parser's own answer. */
  static int webSocketLimit(GatewayOptions options) {
    return options.maxFrameBytes() + 4096;
  }

  /** One connection of this server: its two ends. */
  private static Object key(io.vertx.core.net.SocketAddress remote, io.vertx.core.net.SocketAddress local) {
    return remote + "|" + local;
  }

  private static void securityHeaders(RoutingContext rc) {
    rc.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    rc.next();
  }

  private static void handshake(ServerWebSocketHandshake h, WebOrigins origins) {
    if (!WS_PATH.equals(h.path())) {
      h.reject(404);
    } else if (!origins.allows(h.headers().get("Origin"))) {
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

  private static void health(Vertx vertx, RoutingContext rc) {
    vertx.eventBus().<JsonObject>request(Addresses.NODE_HEALTH, new JsonObject(),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(HEALTH_TIMEOUT_MS))
        .onComplete(ar -> {
          JsonObject body = ar.succeeded() ? ar.result().body() : new JsonObject().put("status", "DOWN").put("code", 503);
          // the status only: the counts of users online and the rest are for the management port
          rc.response().setStatusCode(body.getInteger("code")).putHeader("content-type", "application/json")
              .end(new JsonObject().put("status", body.getString("status")).encode());
        });
  }
}
