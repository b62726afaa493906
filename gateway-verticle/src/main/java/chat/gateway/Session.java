package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ClassicFrames;
import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.FrameParser;
import chat.protocol.Frames;
import chat.protocol.MsgType;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Identity comes only from the login on this connection: ids a client
 * puts in later frames are checked against it, never used.
 *
 * <p>Delivery order: every message to a user has a gap-free sequence number. The login ack
 * carries the first page of undelivered messages; further pages follow; live deliveries that
 * arrive meanwhile are held, then written in order, skipping any already sent from the inbox. A
 * live delivery that skips a number has usually overtaken an earlier one on another path (a
 * sender on another node); it waits up to {@code gapWaitMs} for the missing ones, and only then
 * is the gap read from the inbox (the publish was lost). {@code delivered} is the highest sequence number whose write completed; it is
 * reported when the login ends so that the next login resumes after it.
 */
final class Session {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);
  private static final AtomicLong LOGINS = new AtomicLong();
  /** Out-of-order deliveries kept while waiting for a gap to fill; beyond this, read the inbox. */
  private static final int MAX_EARLY = 256;

  enum State { ANONYMOUS, LOGGING_IN, ONLINE, CLOSED }

  private final NetSocket socket;
  private final Vertx vertx;
  private final EventBus bus;
  private final GatewayOptions options;
  private final String gatewayId;
  private final Sessions registry;
  private final FrameParser parser;

  private State state = State.ANONYMOUS;
  private int userId;
  private String name;
  private String address;
  private ArrayDeque<Delivery> held;
  /** Live deliveries that arrived ahead of a missing sequence number, by sequence. */
  private TreeMap<Long, Delivery> early;
  private long gapTimer = -1;
  private boolean catchingUp;
  /** The highest sequence number handed to the socket (or carried by the login ack). */
  private long queued;
  private long delivered;
  private long reported;
  private Future<Void> lastWrite = Future.succeededFuture();
  private int inFlight;
  private Future<Void> registrations = Future.succeededFuture();

  Session(NetSocket socket, Vertx vertx, GatewayOptions options, String gatewayId, Sessions registry) {
    this.socket = socket;
    this.vertx = vertx;
    this.gatewayId = gatewayId;
    this.bus = vertx.eventBus();
    this.options = options;
    this.registry = registry;
    this.parser = new FrameParser(options.maxFrameBytes(), options.maxDepth(), this::onFrame, this::onBrokenStream);
    socket.handler(parser::handle);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> LOG.debug("connection error", e));
    socket.setWriteQueueMaxSize(options.writeQueueBytes());
    registry.add(this);
  }

  private void onBrokenStream(ProtocolException e) {
    LOG.debug("closing connection: {}", e.getMessage());
    socket.end(frameBytes(ClassicFrames.error(e.code(), e.getMessage()).encode()));
  }

  private void onFrame(Buffer bytes) {
    if (state == State.CLOSED) {
      return;
    }
    JsonObject frame;
    MsgType type;
    try {
      frame = Frames.decode(bytes);
      type = Frames.type(frame);
    } catch (ProtocolException e) {
      if (e.code() == ErrorCode.BAD_FIELD) {
        write(ClassicFrames.error(e.code(), e.getMessage()).encode());
      } else {
        onBrokenStream(e);
      }
      return;
    }
    try {
      dispatch(type, frame);
    } catch (ProtocolException e) {
      refused(type.name(), e.code(), e.getMessage());
    }
  }

  private void dispatch(MsgType type, JsonObject frame) {
    switch (type) {
      case LOGIN -> login(frame);
      case REG -> register(frame);
      case LOGOUT -> {
        requireOwn(frame);
        endLogin(State.ANONYMOUS);
      }
      case ONE_CHAT -> {
        requireOwn(frame);
        send(Addresses.CHAT_ONE, new JsonObject()
            .put("from", userId).put("name", name)
            .put("to", Frames.requireInt(frame, "toid"))
            .put("msg", Frames.requireString(frame, "msg")));
      }
      case GROUP_CHAT -> {
        requireOwn(frame);
        send(Addresses.CHAT_GROUP, new JsonObject()
            .put("from", userId).put("name", name)
            .put("group", Frames.requireInt(frame, "groupid"))
            .put("msg", Frames.requireString(frame, "msg")));
      }
      case ADD_FRIEND -> {
        requireOwn(frame);
        send(Addresses.CHAT_ADD_FRIEND, new JsonObject()
            .put("userId", userId).put("friendId", Frames.requireInt(frame, "friendid")));
      }
      case CREATE_GROUP -> {
        requireOwn(frame);
        send(Addresses.CHAT_CREATE_GROUP, new JsonObject()
            .put("userId", userId)
            .put("name", Frames.requireString(frame, "groupname"))
            .put("desc", Frames.optString(frame, "groupdesc", "")));
      }
      case ADD_GROUP -> {
        requireOwn(frame);
        send(Addresses.CHAT_JOIN_GROUP, new JsonObject()
            .put("userId", userId).put("groupId", Frames.requireInt(frame, "groupid")));
      }
      case LOGIN_ACK, REG_ACK, ERROR, UNKNOWN -> LOG.debug("ignoring msgid {}", frame.getValue("msgid"));
    }
  }

  /** The frame must come after login, and any id it names must be the logged-in user. */
  private void requireOwn(JsonObject frame) {
    if (state != State.ONLINE) {
      throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first");
    }
    Integer claimed = Frames.optInt(frame, "id");
    if (claimed != null && claimed != userId) {
      throw new ProtocolException(ErrorCode.FORBIDDEN, "frame names another user");
    }
  }

  /** Classic mode has no reply for refused frames: the frame is dropped, and logged. */
  private void refused(String what, ErrorCode code, String why) {
    LOG.debug("refused {} from user {}: {} {}", what, userId, code, why);
  }

  private void send(String address, JsonObject request) {
    inFlight++;
    if (inFlight >= options.maxInFlight()) {
      socket.pause();
    }
    bus.<JsonObject>request(address, request)
        .onComplete(
            ar -> {
              if (--inFlight == options.maxInFlight() / 2 && state != State.CLOSED) {
                socket.resume();
              }
              if (ar.failed()) {
                refused(address, Replies.codeOf(ar.cause()), ar.cause().getMessage());
              }
            });
  }

  private void register(JsonObject frame) {
    // one registration at a time per connection: acks keep the order of the requests, and of two
    // requests for one name the first wins (with hashes in parallel, the faster hash won)
    registrations = registrations.transform(v -> registerOne(frame)).onSuccess(this::write).mapEmpty();
  }

  /** The encoded ack of one registration. */
  private Future<String> registerOne(JsonObject frame) {
    String regName;
    String password;
    try {
      regName = Frames.requireString(frame, "name");
      password = Frames.requireString(frame, "password");
    } catch (ProtocolException e) {
      return Future.succeededFuture(ClassicFrames.regFailed().encode());
    }
    return bus.<JsonObject>request(Addresses.CHAT_REGISTER, new JsonObject().put("name", regName).put("password", password))
        .transform(ar -> Future.succeededFuture(
            (ar.succeeded() ? ClassicFrames.regOk(ar.result().body().getInteger("id")) : ClassicFrames.regFailed()).encode()));
  }

  private void login(JsonObject frame) {
    if (state != State.ANONYMOUS) {
      refused("login", ErrorCode.FORBIDDEN, "already logged in on this connection");
      return;
    }
    int id;
    String password;
    try {
      id = Frames.requireInt(frame, "id");
      password = Frames.requireString(frame, "password");
    } catch (ProtocolException e) {
      write(ClassicFrames.loginInvalid().encode());
      return;
    }
    state = State.LOGGING_IN;
    userId = id;
    address = Addresses.session(gatewayId, LOGINS.incrementAndGet());
    held = new ArrayDeque<>();
    registry.bind(address, this);
    bus.<JsonObject>request(Addresses.CHAT_LOGIN, new JsonObject().put("id", id).put("password", password).put("session", address))
        .onComplete(
            ar -> {
              if (state == State.CLOSED) {
                if (ar.succeeded()) {
                  reportEnd(id, address, 0);
                }
              } else if (ar.succeeded()) {
                loggedIn(ar.result().body());
              } else {
                registry.unbind(address);
                state = State.ANONYMOUS;
                write(loginFailure(Replies.codeOf(ar.cause())).encode());
              }
            });
  }

  private static JsonObject loginFailure(ErrorCode code) {
    return switch (code) {
      case ALREADY_ONLINE -> ClassicFrames.loginInUse();
      case BAD_CREDENTIALS, NOT_FOUND -> ClassicFrames.loginInvalid();
      default -> ClassicFrames.loginInvalid().put("errmsg", "server busy, try again later!");
    };
  }

  private void loggedIn(JsonObject reply) {
    state = State.ONLINE;
    name = reply.getString("name");
    long last = reply.getLong("last");
    queued = last;
    write(reply.getJsonObject("ack").encode()).onSuccess(v -> markDelivered(last));
    if (reply.getBoolean("more")) {
      catchUp();
    } else {
      releaseHeld();
    }
  }

  /**
   * Reads the inbox after the last message queued to the socket and writes it; live deliveries
   * are held meanwhile. Used for offline messages beyond the first page, after a gap (a missed
   * cross-node publish), and when the node asks every session to check.
   */
  void catchUp() {
    if (state != State.ONLINE || catchingUp) {
      return;
    }
    catchingUp = true;
    if (held == null) {
      held = new ArrayDeque<>();
    }
    nextInboxPage();
  }

  private void nextInboxPage() {
    JsonObject request =
        new JsonObject().put("id", userId).put("after", queued).put("limit", options.offlinePage());
    bus.<JsonObject>request(Addresses.DB_OFFLINE_PAGE, request)
        .onComplete(
            ar -> {
              if (state != State.ONLINE) {
                return;
              }
              if (ar.failed()) {
                LOG.warn("inbox page for user {} failed; the rest waits for the next login", userId, ar.cause());
                socket.close();
                return;
              }
              JsonObject page = ar.result().body();
              for (Object o : page.getJsonArray("messages")) {
                JsonObject m = (JsonObject) o;
                if (m.getLong("seq") > queued) {
                  writeDelivery(new Delivery(m.getLong("seq"), m.getString("frame")));
                }
              }
              if (page.getBoolean("more")) {
                nextInboxPage();
              } else {
                catchingUp = false;
                releaseHeld();
              }
            });
  }

  private void releaseHeld() {
    ArrayDeque<Delivery> pending = held;
    held = null;
    pending.forEach(this::accept);
  }

  /** Writes deliveries in sequence order: duplicates are dropped, a gap waits briefly, then is read from the inbox. */
  void accept(Delivery d) {
    if (state == State.LOGGING_IN || catchingUp) {
      held.add(d);
    } else if (state == State.ONLINE && d.seq() > queued) {
      if (d.seq() == queued + 1) {
        writeDelivery(d);
        writeEarly();
      } else {
        if (early == null) {
          early = new TreeMap<>();
        }
        early.put(d.seq(), d);
        if (early.size() > MAX_EARLY) {
          gapExpired();
        } else if (gapTimer < 0) {
          gapTimer = vertx.setTimer(options.gapWaitMs(), id -> {
            gapTimer = -1;
            gapExpired();
          });
        }
      }
    }
  }

  /** Writes the early deliveries that now follow on. */
  private void writeEarly() {
    if (early == null) {
      return;
    }
    while (!early.isEmpty() && early.firstKey() <= queued + 1) {
      Delivery next = early.pollFirstEntry().getValue();
      if (next.seq() == queued + 1) {
        writeDelivery(next);
      }
    }
    if (early.isEmpty()) {
      dropEarly();
    }
  }

  /** The missing deliveries did not come live: read them from the inbox, then the early ones follow. */
  private void gapExpired() {
    TreeMap<Long, Delivery> waiting = early;
    dropEarly();
    if (waiting == null || state != State.ONLINE) {
      return;
    }
    catchUp();
    held.addAll(waiting.values());
  }

  private void dropEarly() {
    early = null;
    if (gapTimer >= 0) {
      vertx.cancelTimer(gapTimer);
      gapTimer = -1;
    }
  }

  private void writeDelivery(Delivery d) {
    queued = d.seq();
    write(d.frame()).onSuccess(v -> markDelivered(d.seq()));
    if (socket.writeQueueFull()) {
      LOG.info("closing connection of user {}: it does not read its messages", userId);
      socket.close();
    }
  }

  boolean online() {
    return state == State.ONLINE;
  }

  int userId() {
    return userId;
  }

  long queued() {
    return queued;
  }

  private void markDelivered(long seq) {
    if (seq > delivered) {
      delivered = seq;
      registry.dirty(this);
    }
  }

  /** The last report was not saved: the next takeMark reports the watermark again. */
  void unreport() {
    reported = 0;
  }

  /** For the save of delivery marks: [userId, seq] if the watermark moved since the last report. */
  JsonArray takeMark() {
    if (state != State.ONLINE || delivered <= reported) {
      return null;
    }
    reported = delivered;
    return new JsonArray().add(userId).add(delivered);
  }

  private Future<Void> write(String json) {
    if (state == State.CLOSED) {
      return Future.failedFuture("closed");
    }
    lastWrite = socket.write(frameBytes(json));
    return lastWrite;
  }

  private Buffer frameBytes(String json) {
    return Buffer.buffer(json.length() + 16).appendString(json).appendByte(parser.nulDelimited() ? (byte) 0 : (byte) '\n');
  }

  /** Ends the login (logout, close or node shutdown) once pending writes are done. */
  Future<Void> endLogin(State next) {
    State was = state;
    state = next;
    if (was != State.ONLINE && was != State.LOGGING_IN) {
      return Future.succeededFuture();
    }
    registry.unbind(address);
    held = null;
    dropEarly();
    catchingUp = false;
    if (was == State.LOGGING_IN) {
      return Future.succeededFuture(); // the login reply handler reports the end
    }
    int id = userId;
    String session = address;
    return lastWrite.transform(ar -> reportEnd(id, session, delivered));
  }

  private Future<Void> reportEnd(int id, String session, long seq) {
    return bus.request(Addresses.CHAT_SESSION_CLOSED, new JsonObject().put("id", id).put("session", session).put("delivered", seq))
        .onFailure(e -> LOG.warn("could not report the end of user {}'s session", id, e))
        .mapEmpty();
  }

  private void onClosed() {
    registry.remove(this);
    endLogin(State.CLOSED);
  }

  /** Closes the connection; the client will log in again. */
  void drop() {
    socket.close();
  }

  /** Node shutdown: end the login, then close the socket. */
  Future<Void> shutdown() {
    return endLogin(State.CLOSED).eventually(() -> socket.close());
  }
}
