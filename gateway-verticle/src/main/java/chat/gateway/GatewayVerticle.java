package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.DeliveryBatch;
import chat.protocol.Replies;
import chat.protocol.V2Frames;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.ChatStatus;
import chat.protocol.bus.LastSeqs;
import chat.protocol.bus.MarkDelivered;
import chat.protocol.bus.Push;
import chat.protocol.bus.Store;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import chat.protocol.ClassicFrames;
import chat.protocol.ErrorCode;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP front door: frames in, commands out over the event bus, deliveries back to sockets.
 * Deploy one instance per event loop; Vert.x spreads connections over them. Delivery
 * watermarks are saved as soon as they move (and at every logout), so a node that dies
 * redelivers only what it wrote in its last database round trip; {@code deliveredFlushMs} is a
 * slower periodic save on top.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private static final long CHAT_CHECK_MS = 3000;

  private Sessions sessions;
  /** Stopping: no new connection is admitted while the clients drain. */
  private boolean draining;
  private long drainMs;
  private NetServer server;
  private io.vertx.core.http.HttpServer web;
  private long flushTimer;
  private long sweepTimer = -1;
  private long chatCheckTimer = -1;
  private long timeoutTimer = -1;
  private ConnectionGuard guard;
  private Admission admission;
  private ConnectionLog connectionLog;
  private long refusedConnections;
  private final GatewayMetrics metrics;

  /** Without metrics (a deployment by class name). */
  public GatewayVerticle() {
    this(GatewayMetrics.NONE);
  }

  /** {@code metrics}: the node's, one for all its gateway instances. */
  public GatewayVerticle(GatewayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    DeliveryBatch.registerCodec(vertx);
    BusCodec.register(vertx);
    GatewayOptions options = GatewayOptions.from(config());
    drainMs = options.drainMs();
    guard = NodeCapacity.guard(vertx, options);
    connectionLog = ConnectionLog.of(vertx, options);
    sessions = new Sessions(marks -> Store.ask(vertx.eventBus(), new MarkDelivered(marks)), (ms, action) -> {
      if (ms == 0) {
        context.runOnContext(v -> action.run());
      } else {
        vertx.setTimer(ms, id -> action.run());
      }
    }, NodeLogins.of(vertx), metrics, ClassicResends.of(vertx, options.classicResendEntries(), options.classicResendMs()));
    admission = new Admission(guard, sessions);
    server = vertx.createNetServer(serverOptions(options));
    String gatewayId = options.nodeId() + "-" + UUID.randomUUID().toString().substring(0, 8);
    server.connectHandler(socket -> accept(socket, options, gatewayId));
    flushTimer = vertx.setPeriodic(options.deliveredFlushMs(), id -> sessions.watermarks().flush());
    timeoutTimer = vertx.setPeriodic(1000, id -> {
      long now = System.nanoTime();
      sessions.snapshot().forEach(s -> s.connection().checkTimeouts(now));
      guard.sweep();
      connectionLog.summarize();
    });
    if (options.sweepMs() > 0) {
      sweepTimer = vertx.setPeriodic(options.sweepMs(), id -> sweep());
    }
    if (vertx.isClustered()) {
      chatCheckTimer = vertx.setPeriodic(CHAT_CHECK_MS, id -> checkChat());
    }
    return vertx.eventBus().consumer(Addresses.GATEWAY_CATCH_UP, msg -> sweep()).completion()
        .compose(v -> vertx.eventBus().consumer(Addresses.PING_PREFIX + gatewayId, msg -> msg.reply(null)).completion())
        .compose(v -> deliveries(gatewayId).completion())
        .compose(v -> notices(gatewayId).completion())
        .compose(v -> server.listen()).onSuccess(s -> LOG.debug("gateway listening on {}:{}", options.host(), s.actualPort()))
        .compose(s -> !options.serveWeb() ? Future.succeededFuture()
            : WebServer.start(vertx, options, guard, (ws, ip) -> acceptWeb(ws, ip, options, gatewayId)).onSuccess(h -> web = h));
  }

  static NetServerOptions serverOptions(GatewayOptions options) {
    NetServerOptions o = new NetServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true) // a vanished peer is found by the OS as well as by the idle timeout
        .setAcceptBacklog(4096)
        .setUseProxyProtocol(options.proxyProtocol())
        .setProxyProtocolTimeout(options.frameTimeoutMs())
        .setProxyProtocolTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    if (options.tlsCert() != null) {
      o.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.tlsCert()).setKeyPath(options.tlsKey()));
    }
    return o;
  }

  /** Admits a connection within the node's and its address's limits, or refuses it with one error frame. */
  private void accept(NetSocket socket, GatewayOptions options, String gatewayId) {
    String ip = socket.remoteAddress() == null ? "?" : socket.remoteAddress().hostAddress();
    if (draining) {
      TcpLink.hardClose(TcpLink.channel(socket));
      return;
    }
    ConnectionGuard.Refusal refusal = admission.admit(ip);
    if (refusal == ConnectionGuard.Refusal.NONE) {
      new Session(new TcpLink(socket, vertx), vertx, options, gatewayId, sessions, guard, connectionLog.opened(ip, "tcp"));
      return;
    }
    countRefusal(refusal);
    socket.handler(b -> {});
    socket.write(ClassicFrames.error(refusal.code, refusal.text).encode() + "\n");
    TcpLink.hardClose(TcpLink.channel(socket));
  }

  /** The web client's WebSocket: the same admission and the same session as TCP, speaking v2 only. */
  private void acceptWeb(io.vertx.core.http.ServerWebSocket ws, String ip, GatewayOptions options, String gatewayId) {
    if (draining) {
      ws.close((short) 1001); // going away
      return;
    }
    ConnectionGuard.Refusal refusal = admission.admit(ip);
    if (refusal == ConnectionGuard.Refusal.NONE) {
      new Session(new WebSocketLink(ws, vertx, WebServer.webSocketLimit(options)), vertx, options, gatewayId, sessions, guard,
          connectionLog.opened(ip, "ws"));
      return;
    }
    countRefusal(refusal);
    ws.writeTextMessage(V2Frames.error(null, refusal.code, refusal.text).encode());
    ws.close((short) 1013); // "try again later"
  }

  private void countRefusal(ConnectionGuard.Refusal refusal) {
    metrics.refused(refusal);
    refusedConnections++;
    if (refusedConnections % 1000 == 1) {
      LOG.warn("refusing connections ({}, {} so far on this gateway): {} open on the node", refusal, refusedConnections, guard.connections());
    }
  }

  /** With the event bus clustered, chat may run in another JVM: the gateway must be reachable there. */
  private MessageConsumer<DeliveryBatch> deliveries(String gatewayId) {
    String address = Addresses.DELIVER_PREFIX + gatewayId;
    Handler<Message<DeliveryBatch>> handler = msg -> sessions.deliver(msg.body());
    return vertx.isClustered()
        ? vertx.eventBus().consumer(address, handler)
        : vertx.eventBus().localConsumer(address, handler);
  }

  /** Ephemeral pushes for this gateway's sessions, reachable like deliveries. */
  private MessageConsumer<Push> notices(String gatewayId) {
    String address = Addresses.NOTIFY_PREFIX + gatewayId;
    Handler<Message<Push>> handler = msg -> sessions.notice(msg.headers().get(Addresses.SESSION_HEADER), msg.body());
    return vertx.isClustered()
        ? vertx.eventBus().consumer(address, handler)
        : vertx.eventBus().localConsumer(address, handler);
  }

  /**
   * With the event bus clustered, chat may run in another JVM. If that JVM is gone (its
   * addresses left the cluster), the logins held here are known to nobody: close them, so the
   * clients log in again once a chat instance is back. A slow answer is not a death.
   */
  private void checkChat() {
    vertx.eventBus().request(Addresses.CHAT, new ChatStatus(), new DeliveryOptions().setSendTimeout(CHAT_CHECK_MS - 500))
        .onFailure(e -> {
          List<Session> online = sessions.online();
          if (Replies.noHandlers(e) && !online.isEmpty()) {
            LOG.warn("no chat instance in the cluster: closing {} logged-in connections", online.size());
            online.forEach(s -> s.connection().close());
          }
        });
  }

  /**
   * Finds sessions whose user has messages beyond what was written to them (a publish was
   * missed) and lets them catch up from the inbox. One query per 500 users.
   */
  private void sweep() {
    List<Session> online = sessions.online();
    for (int from = 0; from < online.size(); from += 500) {
      List<Session> chunk = online.subList(from, Math.min(online.size(), from + 500));
      List<Integer> ids = chunk.stream().map(Session::userId).toList();
      Store.ask(vertx.eventBus(), new LastSeqs(ids))
          .onSuccess(reply -> {
            for (Session s : chunk) {
              Long last = reply.seqs().get(s.userId());
              if (last != null && last > s.queued()) {
                s.catchUp();
              }
            }
          })
          .onFailure(e -> LOG.debug("sweep failed", e));
    }
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting, then ends every login (saving its watermark) and closes its socket. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(chatCheckTimer);
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(timeoutTimer);
    draining = true;
    return Drain.run(sessions.snapshot(), drainMs)
        .transform(ar -> sessions.watermarks().flush())
        .transform(ar -> web == null ? Future.succeededFuture() : web.close())
        .transform(ar -> server.close());
  }
}
