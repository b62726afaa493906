package chat.gateway;

import chat.protocol.ClassicFrames;
import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.MsgType;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.bus.AddFriend;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.Peer;
import chat.protocol.bus.Push;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic protocol (msgid 1-10), byte-compatible with the C++ chatserver: one handler per
 * msgid, on top of the connection's {@link Session}; deliveries as classic chat frames, no
 * notices. Classic has no replies but the login and register acks; what it refuses is dropped,
 * except chat messages, which get an error frame.
 */
final class ClassicProtocol implements Protocol {
  private static final Logger LOG = LoggerFactory.getLogger(ClassicProtocol.class);

  private final Session s;
  private final Sessions registry;
  private final ClassicRenderer renderer;
  private final ClassicResends resends;
  /**
   * Friend and group changes asked for and not answered yet: classic has no reply to them, and
   * the C++ server handled a connection's frames in order, so a login that follows them on the
   * connection waits until they are answered and its lists show them. A count, not a chain of
   * futures, so that a long connection's changes hold no memory once answered.
   */
  private int changesUnanswered;
  /** The login frame waiting for {@link #changesUnanswered} to reach 0; a second one meanwhile is refused. */
  private Runnable loginWaiting;

  ClassicProtocol(Session s, Sessions registry) {
    this.s = s;
    this.registry = registry;
    this.renderer = registry.renderer();
    this.resends = registry.resends();
  }

  /** A frame without a usable msgid throws: the session answers it. */
  @Override
  public void handle(JsonObject frame) {
    MsgType type = Frames.type(frame);
    try {
      dispatch(type, frame);
    } catch (ProtocolException e) {
      refused(type, e.code(), e.getMessage());
    }
  }

  @Override
  public String error(ErrorCode code, String text) {
    return ClassicFrames.error(code, text).encode();
  }

  @Override
  public String render(Delivery d) {
    return renderer.chat(d.message());
  }

  /** Classic has no frame for a notice: its friend list is read at the next login. */
  @Override
  public void notice(Push event) {}

  @Override
  public boolean sendReconnect() {
    return false;
  }

  /** Classic clients do not acknowledge: their watermark is what was written to them. */
  @Override
  public boolean acknowledges() {
    return false;
  }

  private void dispatch(MsgType type, JsonObject frame) {
    switch (type) {
      case LOGIN -> login(frame);
      case REG -> register(frame);
      case LOGOUT -> {
        requireOwn(frame);
        s.logout();
      }
      case ONE_CHAT -> {
        requireOwn(frame);
        s.requireMessageToken();
        Peer to = Peer.user(Frames.requireInt(frame, "toid"));
        send(type, to, Frames.requireString(frame, "msg"));
      }
      case GROUP_CHAT -> {
        requireOwn(frame);
        s.requireMessageToken();
        Peer to = Peer.group(Frames.requireInt(frame, "groupid"));
        send(type, to, Frames.requireString(frame, "msg"));
      }
      case ADD_FRIEND -> {
        requireOwn(frame);
        change(type, s.chat(new AddFriend(s.userId(), Frames.requireInt(frame, "friendid"))));
      }
      case CREATE_GROUP -> {
        requireOwn(frame);
        GroupCreate create = new GroupCreate(s.userId(), Frames.requireString(frame, "groupname"), Frames.optString(frame, "groupdesc", ""));
        change(type, s.chat(create));
      }
      case ADD_GROUP -> {
        requireOwn(frame);
        change(type, s.chat(new GroupJoin(s.userId(), Frames.requireInt(frame, "groupid"))));
      }
      case LOGIN_ACK, REG_ACK, ERROR, UNKNOWN -> LOG.debug("ignoring msgid {}", frame.getValue("msgid"));
    }
  }

  private void change(MsgType type, Future<?> answered) {
    changesUnanswered++;
    answered.onComplete(ar -> {
      if (ar.failed()) {
        refusedUnlessClosed(type, ar.cause());
      }
      if (--changesUnanswered == 0 && loginWaiting != null) {
        Runnable login = loginWaiting;
        loginWaiting = null;
        login.run();
      }
    });
  }

  /** A chat message with its implicit cmid ({@link ClassicResends}); an unknown outcome gets no frame. */
  private void send(MsgType type, Peer to, String text) {
    ClassicResends.Send send = resends.begin(s.userId(), to, text, System.currentTimeMillis());
    s.send(to, text, send.cmid()).onComplete(ar -> {
      if (!resends.answered(send, ar.cause(), System.currentTimeMillis()) && ar.failed()) {
        refusedUnlessClosed(type, ar.cause());
      }
    });
  }

  /** The frame must come after login, and any id it names must be the logged-in user. */
  private void requireOwn(JsonObject frame) {
    s.login().requireLoggedIn();
    Integer claimed = Frames.optInt(frame, "id");
    if (claimed != null && claimed != s.userId()) {
      throw new ProtocolException(ErrorCode.FORBIDDEN, "frame names another user");
    }
  }

  /**
   * Classic clients have no reply for refused frames. A refused chat message gets an error frame
   * (classic clients ignore msgid 99) so that nothing is dropped silently; other refusals are
   * dropped as the classic server did. Either way the reason is logged at INFO (rate-capped).
   */
  private void refused(MsgType type, ErrorCode code, String why) {
    if (registry.mayLogRefusal()) {
      LOG.info("refused classic {} from user {}: {} ({})", type, s.userId(), code, why);
    } else {
      LOG.debug("refused classic {} from user {}: {} ({})", type, s.userId(), code, why);
    }
    if ((type == MsgType.ONE_CHAT || type == MsgType.GROUP_CHAT) && !s.aborted()) {
      s.write(ClassicFrames.error(code, chatRefusal(code, why)).encode());
    }
  }

  private static String chatRefusal(ErrorCode code, String why) {
    return switch (code) {
      case UNAVAILABLE, INTERNAL -> "message not stored: the server cannot store messages right now";
      case OVERLOADED -> "message not stored: server busy, try again later";
      case NOT_FOUND -> "message not stored: no such user or group";
      case FORBIDDEN -> "message not stored: not allowed";
      default -> "message not stored: " + why;
    };
  }

  private void refusedUnlessClosed(MsgType type, Throwable e) {
    if (!s.login().closed()) {
      refused(type, Replies.codeOf(e), e.getMessage());
    }
  }

  private void register(JsonObject frame) {
    String regName;
    String password;
    try {
      regName = Frames.requireString(frame, "name");
      password = Frames.requireString(frame, "password");
    } catch (ProtocolException e) {
      regName = null;
      password = null;
    }
    s.register(regName, password).onComplete(ar -> s.write((ar.succeeded() ? ClassicFrames.regOk(ar.result()) : ClassicFrames.regFailed()).encode()));
  }

  private void login(JsonObject frame) {
    int id;
    String password;
    try {
      id = Frames.requireInt(frame, "id");
      password = Frames.requireString(frame, "password");
    } catch (ProtocolException e) {
      s.write(ClassicFrames.loginInvalid().encode());
      return;
    }
    if (!s.login().awaitingLogin() || loginWaiting != null) {
      refused(MsgType.LOGIN, ErrorCode.FORBIDDEN, "already logged in on this connection");
      return;
    }
    if (changesUnanswered > 0) {
      loginWaiting = () -> {
        try {
          beginLogin(id, password);
        } catch (ProtocolException e) { // the connection ended while the login waited
          refused(MsgType.LOGIN, e.code(), e.getMessage());
        }
      };
    } else {
      beginLogin(id, password);
    }
  }

  private void beginLogin(int id, String password) {
    s.beginLogin(id, password, null).onComplete(ar -> {
      if (ar.succeeded()) {
        s.startDelivery(ar.result(), s.writePaced(renderer.loginAck(ar.result()).encode()));
      } else if (!s.login().closed()) {
        s.write(loginFailure(Replies.codeOf(ar.cause())).encode());
      }
    });
  }

  private static JsonObject loginFailure(ErrorCode code) {
    return switch (code) {
      case ALREADY_ONLINE -> ClassicFrames.loginInUse();
      case BAD_CREDENTIALS, NOT_FOUND -> ClassicFrames.loginInvalid();
      case RATE_LIMITED -> ClassicFrames.loginInvalid().put("errmsg", "too many attempts, try again later!");
      case BANNED -> ClassicFrames.loginInvalid().put("errmsg", "this account is banned for a while, try again later!");
      default -> ClassicFrames.loginInvalid().put("errmsg", "server busy, try again later!");
    };
  }

}
