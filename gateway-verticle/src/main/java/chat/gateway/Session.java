package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ClassicFrames;
import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.ProtocolException;
import chat.protocol.V2Frames;
import chat.protocol.bus.ChatReply;
import chat.protocol.bus.ChatRequest;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.MarkDelivered;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.Peer;
import chat.protocol.bus.Push;
import chat.protocol.bus.StoreMessage;
import chat.protocol.bus.StoreReply;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One client connection above its transport: the {@link Protocol} its first frame chose, the
 * account on it ({@link AccountLogin}) and what was delivered to it ({@link DeliveryTrack}). The
 * transport and its limits are the {@link Connection}'s. What the handlers of either protocol
 * need of the connection is here, and nothing of either protocol's frames.
 */
final class Session implements ConnectionOwner, Watermarks.Source {
  private final Connection conn;
  private final GatewayOptions options;
  private final Sessions registry;
  private final Requests requests;
  private final DeliveryTrack track;
  private final AccountLogin account;
  /** Chosen once, by the first frame; null before it. */
  private Protocol protocol;
  /** Completed when the connection is gone and its last frames handled. */
  private final io.vertx.core.Promise<Void> gone = io.vertx.core.Promise.promise();

  Session(Link link, Vertx vertx, GatewayOptions options, String gatewayId, Sessions registry,
      ConnectionGuard guard, ConnectionTrail trail) {
    this.options = options;
    this.registry = registry;
    this.conn = new Connection(this, link, vertx, options, guard, trail, registry.metrics());
    this.requests = new Requests(vertx.eventBus(), conn, new MessageSend(vertx.eventBus(), registry, registry.metrics()));
    ConnectionPort port = new ConnectionPort(vertx, conn, options.offlinePage(), d -> protocol.render(d),
        this::userId, () -> registry.dirty(this), registry.metrics());
    this.track = new DeliveryTrack(port, options.gapWaitMs(), options.outboundBytes(), () -> registry.dirty(this),
        covered -> vertx.eventBus().send(Addresses.CHAT, covered)); // one message, not a request: nothing waits
    this.account = new AccountLogin(this, conn, vertx.eventBus(), requests, registry, guard, gatewayId, track, trail);
    registry.add(this);
    conn.open();
  }

  /** A frame within the connection's limits: the first one picks the protocol, then its handlers. */
  @Override
  public void onFrame(Buffer bytes) {
    try {
      JsonObject frame = Frames.decode(bytes);
      if (protocol == null) {
        // chosen once, by the first frame: v2 says so, anything else is a classic client
        boolean v2 = V2Frames.opensV2(frame);
        if (!v2 && conn.link().v2Only()) {
          conn.closeWithError(ErrorCode.BAD_FIELD, "this endpoint speaks protocol v2: the first frame is hello with \"v\":2");
          return;
        }
        protocol = v2 ? new V2Protocol(this) : new ClassicProtocol(this, registry);
        registry.metrics().opened(v2); // until signed off (Sessions.remove)
      }
      protocol.handle(frame);
    } catch (ProtocolException e) {
      if (e.code() == ErrorCode.BAD_FIELD) {
        write(errorFrame(e.code(), e.getMessage()));
      } else {
        conn.onBrokenStream(e);
      }
    }
  }

  /**
   * An error in this connection's protocol, without a request to answer. Before a first frame has
   * chosen it, the protocol is the one the stream was attempting: v2 on the WebSocket endpoint,
   * and on TCP where its first bytes say "v":2 or "type":"hello" (a v2 hello nested too deep or too
   * large fails in the parser, before any frame exists to read the "v" from).
   */
  @Override
  public String errorFrame(ErrorCode code, String text) {
    if (protocol != null) {
      return protocol.error(code, text);
    }
    boolean v2 = conn.link().v2Only() || V2Frames.attemptsV2(conn.head());
    return v2 ? V2Frames.error(null, code, text).encode() : ClassicFrames.error(code, text).encode();
  }

  /** Chat messages have their own, lower rate: the account's (an account has one login at a time). */
  void requireMessageToken() {
    conn.requireMessageToken();
  }

  GatewayOptions options() {
    return options;
  }

  @Override
  public LoginFlow login() {
    return account.flow();
  }

  void requireOnline() {
    account.flow().requireLoggedIn();
  }

  boolean online() {
    return account.flow().loggedIn();
  }

  @Override
  public int userId() {
    return account.userId();
  }

  String userName() {
    return account.name();
  }

  DeliveryTrack delivery() {
    return track;
  }

  /** No further frame is handled on this connection (it is closing). */
  boolean aborted() {
    return conn.aborted();
  }

  Future<Integer> register(String regName, String password) {
    return account.register(regName, password);
  }

  /** The login snapshot, or the refusal; the caller writes the snapshot and hands the write to {@link #startDelivery}. */
  Future<LoginSnapshot> beginLogin(int id, String password, String resumeToken) {
    return account.begin(id, password, resumeToken, protocol.acknowledges());
  }

  /** The snapshot, which carried the inbox up to its {@code last}, is being written. */
  void startDelivery(LoginSnapshot snapshot, Future<Void> written) {
    track.start(snapshot.offline().last(), snapshot.offline().more(), written);
  }

  Future<Void> logout() {
    return account.logout();
  }

  String takeToken() {
    return account.takeToken();
  }

  Future<PasswordChange.Issued> changePassword(String old, String fresh) {
    return account.changePassword(old, fresh);
  }

  <R extends StoreReply> Future<R> store(StoreRequest<R> request) {
    return requests.store(request);
  }

  Future<StoreMessage.Stored> send(Peer to, String text, String cmid) {
    return requests.send(userId(), userName(), to, text, cmid);
  }

  <R extends ChatReply> Future<R> chat(ChatRequest<R> request) {
    return requests.chat(request);
  }

  Future<Void> write(String json) {
    return conn.write(json, false);
  }

  /** Backlog (the login reply, inbox pages) waits for the socket to drain instead of tripping the outbound budget. */
  Future<Void> writePaced(String json) {
    return conn.write(json, true);
  }

  Connection connection() {
    return conn;
  }

  /** Lets the session read its inbox: after a missed publish, or when the node asks every session. */
  void catchUp() {
    if (online() && !conn.gone()) {
      track.catchUp();
    }
  }

  /** A live delivery, in any order (the core sorts it out). */
  void accept(Delivery d) {
    if (!conn.gone()) {
      track.accept(d);
    }
  }

  /** An ephemeral push (docs/protocol.md sections 4 to 6), if the protocol has a frame for it. */
  void notice(Push event) {
    if (protocol != null) {
      protocol.notice(event);
    }
  }

  long queued() {
    return track.queued();
  }

  /** For the save of delivery marks: the user's mark if the watermark moved since the last report. */
  @Override
  public MarkDelivered.Mark takeMark() {
    long mark = online() ? track.take() : -1;
    return mark < 0 ? null : new MarkDelivered.Mark(userId(), mark);
  }

  /** The last report was not saved: the next takeMark reports the watermark again. */
  @Override
  public void unreport() {
    track.unreport();
  }

  /** The connection is gone and its last frames are handled: the login ends. */
  @Override
  public void signedOff() {
    gone.tryComplete();
    registry.remove(this, protocol);
    account.close();
  }

  /** Node shutdown: end the login, then close the socket after its last write. */
  Future<Void> shutdown() {
    return account.close().eventually(() -> conn.close());
  }

  /** Node drain: true if the client was told to reconnect elsewhere (v2), and then leaves by itself. */
  boolean askedToReconnect() {
    return protocol != null && online() && protocol.sendReconnect();
  }

  Future<Void> gone() {
    return gone.future();
  }
}
