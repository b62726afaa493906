package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.ClassicFrames;
import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.MsgType;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.V2Frames;
import chat.protocol.bus.ChatReply;
import chat.protocol.bus.ChatRequest;
import chat.protocol.bus.Received;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.MarkDelivered;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.Register;
import chat.protocol.bus.SessionEnded;
import chat.protocol.bus.Push;
import chat.protocol.bus.Peer;
import chat.protocol.bus.Store;
import chat.protocol.bus.StoreMessage;
import chat.protocol.bus.StoreReply;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's state: its protocol, its login, and the dispatch of its frames to the
 * classic or v2 handlers. The transport and its limits are the {@link Connection}'s. Identity
 * comes only from the login on this connection: ids a client puts in later frames are checked
 * against it, never used. What reaches the client, in which order, is the {@link DeliveryCore}'s;
 * its watermark is reported when the login ends so that the next login resumes after it.
 */
final class Session {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  private static final AtomicLong LOGINS = new AtomicLong();

  enum State { ANONYMOUS, LOGGING_IN, ONLINE, CLOSED }

  private final Connection conn;
  private final Vertx vertx;
  private final EventBus bus;
  private final GatewayOptions options;
  private final String gatewayId;
  private final Sessions registry;
  private final ClassicRenderer renderer;
  private final MessageSend sends;

  private State state = State.ANONYMOUS;
  private int userId;
  private String name;
  /** The resume token this login was given or used (v2), for logout to revoke; never logged. */
  private String token;
  private String address;
  /** Order and backlog of the current login; null before the first login. */
  private DeliveryCore core;
  private final Watermark watermark = new Watermark();
  /** For v2: the 1:1 messages sent and not yet acked, whose senders get a delivered receipt on the ack. */
  private DeliveredReceipts receipts;

  enum Protocol { UNKNOWN, CLASSIC, V2 }

  private Protocol protocol = Protocol.UNKNOWN;
  private Future<Void> registrations = Future.succeededFuture();

  private final ConnectionGuard guard;
  private TokenBucket messages;

  Session(Link link, Vertx vertx, GatewayOptions options, String gatewayId, Sessions registry,
      ConnectionGuard guard, String ip) {
    this.vertx = vertx;
    this.gatewayId = gatewayId;
    this.bus = vertx.eventBus();
    this.options = options;
    this.registry = registry;
    this.renderer = registry.renderer();
    this.guard = guard;
    this.sends = new MessageSend(bus, registry);
    this.conn = new Connection(this, link, vertx, options, guard, ip);
    registry.add(this);
    conn.open();
  }

  Connection connection() {
    return conn;
  }

  GatewayOptions options() {
    return options;
  }

  /** A frame within the connection's limits: the first one picks the protocol, then its handlers. */
  void onFrame(Buffer bytes) {
    JsonObject frame;
    MsgType type;
    try {
      frame = Frames.decode(bytes);
      if (protocol == Protocol.UNKNOWN) {
        // chosen once, by the first frame: v2 says so, anything else is a classic client
        boolean v2 = V2Frames.opensV2(frame);
        if (!v2 && conn.link().v2Only()) {
          conn.closeWithError(ErrorCode.BAD_FIELD, "this endpoint speaks protocol v2: the first frame is hello with \"v\":2");
          return;
        }
        protocol = v2 ? Protocol.V2 : Protocol.CLASSIC;
      }
      if (protocol == Protocol.V2) {
        V2Handlers.handle(this, frame);
        return;
      }
      type = Frames.type(frame);
    } catch (ProtocolException e) {
      if (e.code() == ErrorCode.BAD_FIELD) {
        write(errorFrame(e.code(), e.getMessage()));
      } else {
        conn.onBrokenStream(e);
      }
      return;
    }
    try {
      ClassicHandlers.dispatch(this, type, frame);
    } catch (ProtocolException e) {
      ClassicHandlers.refused(this, type, e.code(), e.getMessage());
    }
  }

  /** Chat messages have their own, lower rate: the account's (an account has one login at a time). */
  void requireMessageToken() {
    if (messages == null) {
      messages = new TokenBucket(options.messageRate(), options.messageBurst(), System.nanoTime());
    }
    if (!messages.take(System.nanoTime())) {
      if (conn.overLimit("messages")) {
        throw new ProtocolException(ErrorCode.RATE_LIMITED, "closed");
      }
      throw new ProtocolException(ErrorCode.RATE_LIMITED, "too many messages: this one was not sent");
    }
  }

  /**
   * One registration at a time per connection: replies keep the order of the requests, and of
   * two requests for one name the first wins (with hashes in parallel, the faster hash won).
   */
  Future<Integer> register(String regName, String password) {
    conn.beginRequest();
    Future<Integer> result = registrations.transform(v -> {
      if (regName == null || password == null) {
        return Replies.<Integer>refuse(ErrorCode.BAD_FIELD, "name and password are needed");
      }
      if (state == State.CLOSED || conn.gone()) {
        return Replies.<Integer>refuse(ErrorCode.TIMEOUT, "the client left"); // no hash for nobody
      }
      return bus.<Register.Registered>request(Addresses.CHAT, new Register(regName, password, conn.ip(), deadline()))
          .map(reply -> reply.body().user());
    });
    registrations = result.<Void>transform(ar -> Future.succeededFuture()).onComplete(ar -> conn.endRequest());
    return result;
  }

  /**
   * Claims the account for this connection with a password or (v2) a resume token: the login
   * snapshot once chat has checked the credentials and claimed the account, or the refusal. A v2
   * password login is given a token; a token is kept for logout to revoke. The caller renders the
   * snapshot, writes it, and hands the write to {@link #startDelivery}.
   */
  Future<LoginSnapshot> beginLogin(int id, String password, String resumeToken) {
    if (state != State.ANONYMOUS) {
      return Replies.refuse(ErrorCode.FORBIDDEN, "already logged in on this connection");
    }
    if (guard.accountBanned(id)) {
      return Replies.refuse(ErrorCode.RATE_LIMITED, "too many attempts, try again later");
    }
    state = State.LOGGING_IN;
    userId = id;
    address = Addresses.session(gatewayId, LOGINS.incrementAndGet());
    core = new DeliveryCore(new CorePort(), options.gapWaitMs(), options.outboundBytes());
    boolean v2 = protocol == Protocol.V2;
    DeliveryCore started = core;
    watermark.start(started::delivered, started::queued, v2);
    receipts = v2 ? new DeliveredReceipts(id, DeliveredReceipts.DEFAULT_CAP) : null;
    registry.bind(address, this);
    token = null;
    String session = address;
    Login request = new Login(id, resumeToken == null ? password : null, resumeToken, session, conn.ip(), deadline(),
        v2 && resumeToken == null, v2);
    conn.beginRequest(); // in flight like any request: a close with an error waits for its reply
    return bus.<LoginSnapshot>request(Addresses.CHAT, request).andThen(ar -> conn.endRequest()).transform(ar -> {
      if (state == State.CLOSED) {
        if (ar.succeeded()) {
          reportEnd(id, session, 0);
        }
        return Future.failedFuture("connection closed");
      }
      if (ar.failed()) {
        registry.unbind(session);
        state = State.ANONYMOUS;
        return Future.failedFuture(ar.cause());
      }
      LoginSnapshot snapshot = ar.result().body();
      state = State.ONLINE;
      registry.granted(this, session);
      name = snapshot.name();
      token = snapshot.token();
      return Future.succeededFuture(snapshot);
    });
  }

  /** The snapshot, which carried the inbox up to its {@code last}, is being written. */
  void startDelivery(LoginSnapshot snapshot, Future<Void> written) {
    core.start(snapshot.offline().last(), snapshot.offline().more(), written);
  }

  /** The gateway's request timeout is 30 s: chat does not claim an account for a login older than this. */
  private static long deadline() {
    return System.currentTimeMillis() + 25_000;
  }

  /** Lets the session read its inbox: after a missed publish, or when the node asks every session. */
  void catchUp() {
    if (core != null && state == State.ONLINE && !conn.gone()) {
      core.catchUp();
    }
  }

  /** A live delivery, in any order (the core sorts it out). */
  void accept(Delivery d) {
    if (core != null && !conn.gone()) {
      core.accept(d);
    }
  }

  /** The core's view of this connection. */
  private final class CorePort implements DeliveryCore.Port {
    @Override
    public Future<Void> write(Delivery d, boolean paced) {
      if (protocol != Protocol.V2) {
        return Session.this.write(renderer.chat(d.message()), paced);
      }
      sentToClient(d.seq(), d.message());
      return Session.this.write(V2Frames.msg(d.seq(), d.message()), paced);
    }

    @Override
    public boolean backedUp() {
      return conn.outbound().backedUp();
    }

    @Override
    public void whenDrained(Runnable next) {
      conn.outbound().whenDrained(next);
    }

    @Override
    public Future<DeliveryCore.Page> page(long after) {
      return Store.ask(bus, new InboxPage(userId, after, options.offlinePage()))
          .map(page -> new DeliveryCore.Page(page.messages(), page.more()));
    }

    @Override
    public void pageFailed(Throwable cause) {
      LOG.warn("inbox page for user {} failed; the rest waits for the next login", userId, cause);
      conn.close();
    }

    @Override
    public void delivered(long seq) {
      registry.dirty(Session.this);
    }

    @Override
    public long setTimer(long ms, Runnable action) {
      return vertx.setTimer(ms, id -> action.run());
    }

    @Override
    public void cancelTimer(long id) {
      vertx.cancelTimer(id);
    }
  }

  State state() {
    return state;
  }

  boolean aborted() {
    return conn.aborted();
  }

  boolean closed() {
    return state == State.CLOSED;
  }

  boolean loggingIn() {
    return state == State.LOGGING_IN;
  }

  Sessions registry() {
    return registry;
  }

  ClassicRenderer renderer() {
    return renderer;
  }

  boolean online() {
    return state == State.ONLINE;
  }

  int userId() {
    return userId;
  }

  long queued() {
    return core == null ? 0 : core.queued();
  }


  /**
   * An ephemeral push (docs/protocol.md sections 4 to 6). Classic has no frame for it, so classic
   * sessions skip it; their friend list is read at the next login.
   */
  void notice(Push event) {
    if (protocol == Protocol.V2 && state == State.ONLINE) {
      write(event.render(V2Pushes.INSTANCE).encode());
    }
  }

  // --- what the v2 handlers use ---

  void reply(String re, JsonObject result) {
    write(V2Frames.ok(re, result).encode());
  }

  void replyError(String re, ErrorCode code, String text) {
    write(V2Frames.error(re, code, text).encode());
  }

  Future<Void> writePaced(String frame) {
    return write(frame, true);
  }

  void requireOnline() {
    if (state != State.ONLINE) {
      throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first");
    }
  }

  String userName() {
    return name;
  }

  Future<Void> logout() {
    return endLogin(State.ANONYMOUS);
  }

  /** The login's resume token, forgotten here: the caller revokes it. */
  String takeToken() {
    String t = token;
    token = null;
    return t;
  }

  /** Checks the old password (bcrypt, in chat's HashQueue), stores the new one: {token, expires}, the only live token now. */
  Future<PasswordChange.Issued> changePassword(String old, String fresh) {
    return chat(new PasswordChange(userId, old, fresh, conn.ip(), deadline()))
        .andThen(ar -> {
          if (ar.succeeded()) {
            token = ar.result().token();
          }
        });
  }

  /** A typed request to the store (a read), counted against the connection's pending requests. */
  <R extends StoreReply> Future<R> store(StoreRequest<R> request) {
    conn.beginRequest();
    return Store.ask(bus, request).andThen(ar -> conn.endRequest());
  }

  /** A chat message from this login, counted against the connection's pending requests. */
  Future<StoreMessage.Stored> send(Peer to, String text, String cmid) {
    conn.beginRequest();
    return sends.send(userId, name, to, text, cmid).andThen(ar -> conn.endRequest());
  }

  /** A typed request to chat (a write), counted against the connection's pending requests. */
  <R extends ChatReply> Future<R> chat(ChatRequest<R> request) {
    conn.beginRequest();
    return bus.<R>request(Addresses.CHAT, request).map(io.vertx.core.eventbus.Message::body).andThen(ar -> conn.endRequest());
  }

  /** A request on the event bus, counted against the connection's pending requests. */
  Future<JsonObject> request(String target, JsonObject body) {
    conn.beginRequest();
    return bus.<JsonObject>request(target, body).map(io.vertx.core.eventbus.Message::body).andThen(ar -> conn.endRequest());
  }

  /** A v2 message under {@code seq} is on its way to the client (a push, the login reply, a sync page). */
  void sentToClient(long seq, ChatMessage m) {
    if (receipts != null) {
      receipts.sent(seq, m);
    }
  }

  /**
   * A v2 client processed everything up to {@code seq}: that is its watermark (never past what it
   * was sent). The senders of the 1:1 messages it newly covers get a delivered receipt each.
   */
  void ack(long seq) {
    if (watermark.ack(seq)) {
      registry.dirty(this);
      if (receipts != null) {
        tellSenders(receipts.acked(watermark.acked()));
      }
    }
  }

  /** One bus message per ack, not a request: receipts are at most once and nothing waits for them. */
  private void tellSenders(java.util.Map<Integer, Long> bySender) {
    if (bySender.isEmpty()) {
      return;
    }
    List<Received.Covered> covered = new ArrayList<>();
    bySender.forEach((sender, messageId) -> covered.add(new Received.Covered(sender, messageId)));
    bus.send(Addresses.CHAT, new Received(userId, covered));
  }

  /**
   * An error in this connection's protocol, without a request to answer. Before a first frame has
   * chosen it, the protocol is the one the stream was attempting: v2 on the WebSocket endpoint,
   * and on TCP where its first bytes say "v":2 or "type":"hello" (a v2 hello nested too deep or too
   * large fails in the parser, before any frame exists to read the "v" from).
   */
  String errorFrame(ErrorCode code, String text) {
    boolean v2 = protocol == Protocol.V2 || conn.link().v2Only()
        || (protocol == Protocol.UNKNOWN && V2Frames.attemptsV2(conn.head()));
    return v2 ? V2Frames.error(null, code, text).encode() : ClassicFrames.error(code, text).encode();
  }

  /** The last report was not saved: the next takeMark reports the watermark again. */
  void unreport() {
    watermark.unreport();
  }

  /** For the save of delivery marks: the user's mark if the watermark moved since the last report. */
  MarkDelivered.Mark takeMark() {
    long mark = state == State.ONLINE ? watermark.take() : -1;
    return mark < 0 ? null : new MarkDelivered.Mark(userId, mark);
  }

  Future<Void> write(String json) {
    return write(json, false);
  }

  private Future<Void> write(String json, boolean paced) {
    return conn.write(json, paced);
  }

  /** Ends the login (logout, close or node shutdown) once pending writes are done. */
  Future<Void> endLogin(State next) {
    State was = state;
    state = next;
    if (was != State.ONLINE && was != State.LOGGING_IN) {
      return Future.succeededFuture();
    }
    registry.unbind(address);
    if (core != null) {
      core.stop();
    }
    if (was == State.LOGGING_IN) {
      return Future.succeededFuture(); // the login reply handler reports the end
    }
    int id = userId;
    String session = address;
    if (conn.gone()) {
      // nothing more will be sent: writes still queued never complete, so do not wait for them
      return reportEnd(id, session, watermark.value());
    }
    return conn.outbound().last().transform(ar -> reportEnd(id, session, watermark.value()));
  }

  private Future<Void> reportEnd(int id, String session, long seq) {
    return bus.request(Addresses.CHAT, new SessionEnded(id, session, seq))
        .onFailure(e -> LOG.warn("could not report the end of user {}'s session", id, e))
        .mapEmpty();
  }

  /** The connection is gone and its last frames are handled: the login ends. */
  void signedOff() {
    registry.remove(this);
    endLogin(State.CLOSED);
  }

  /** Closes the connection; the client will log in again. */
  void drop() {
    conn.close();
  }

  /** Node shutdown: end the login, then close the socket. */
  Future<Void> shutdown() {
    return endLogin(State.CLOSED).eventually(() -> conn.close());
  }
}
