package chat.gateway;

import chat.protocol.ClassicFrames;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.MsgType;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.bus.AddFriend;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.Peer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic requests (msgid 1-10), byte-compatible with the C++ chatserver: one handler per
 * msgid, on top of the connection's {@link Session}. Classic has no replies but the login and
 * register acks; what it refuses is dropped, except chat messages, which get an error frame.
 */
final class ClassicHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(ClassicHandlers.class);

  private ClassicHandlers() {}

  static void dispatch(Session s, MsgType type, JsonObject frame) {
    switch (type) {
      case LOGIN -> login(s, frame);
      case REG -> register(s, frame);
      case LOGOUT -> {
        requireOwn(s, frame);
        s.endLogin(Session.State.ANONYMOUS);
      }
      case ONE_CHAT -> {
        requireOwn(s, frame);
        s.requireMessageToken();
        Peer to = Peer.user(Frames.requireInt(frame, "toid"));
        String text = Frames.requireString(frame, "msg");
        s.send(to, text, null).onFailure(e -> refusedUnlessClosed(s, type, e));
      }
      case GROUP_CHAT -> {
        requireOwn(s, frame);
        s.requireMessageToken();
        Peer to = Peer.group(Frames.requireInt(frame, "groupid"));
        String text = Frames.requireString(frame, "msg");
        s.send(to, text, null).onFailure(e -> refusedUnlessClosed(s, type, e));
      }
      case ADD_FRIEND -> {
        requireOwn(s, frame);
        s.chat(new AddFriend(s.userId(), Frames.requireInt(frame, "friendid"))).onFailure(e -> refusedUnlessClosed(s, type, e));
      }
      case CREATE_GROUP -> {
        requireOwn(s, frame);
        GroupCreate create = new GroupCreate(s.userId(), Frames.requireString(frame, "groupname"), Frames.optString(frame, "groupdesc", ""));
        s.chat(create).onFailure(e -> refusedUnlessClosed(s, type, e));
      }
      case ADD_GROUP -> {
        requireOwn(s, frame);
        s.chat(new GroupJoin(s.userId(), Frames.requireInt(frame, "groupid"))).onFailure(e -> refusedUnlessClosed(s, type, e));
      }
      case LOGIN_ACK, REG_ACK, ERROR, UNKNOWN -> LOG.debug("ignoring msgid {}", frame.getValue("msgid"));
    }
  }

  /** The frame must come after login, and any id it names must be the logged-in user. */
  private static void requireOwn(Session s, JsonObject frame) {
    if (s.state() != Session.State.ONLINE) {
      throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first");
    }
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
  static void refused(Session s, MsgType type, ErrorCode code, String why) {
    if (s.registry().mayLogRefusal()) {
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

  private static void refusedUnlessClosed(Session s, MsgType type, Throwable e) {
    if (s.state() != Session.State.CLOSED) {
      refused(s, type, Replies.codeOf(e), e.getMessage());
    }
  }

  private static void register(Session s, JsonObject frame) {
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

  private static void login(Session s, JsonObject frame) {
    int id;
    String password;
    try {
      id = Frames.requireInt(frame, "id");
      password = Frames.requireString(frame, "password");
    } catch (ProtocolException e) {
      s.write(ClassicFrames.loginInvalid().encode());
      return;
    }
    if (s.state() != Session.State.ANONYMOUS) {
      refused(s, MsgType.LOGIN, ErrorCode.FORBIDDEN, "already logged in on this connection");
      return;
    }
    s.beginLogin(id, password, null).onComplete(ar -> {
      if (ar.succeeded()) {
        s.startDelivery(ar.result(), s.writePaced(s.renderer().loginAck(ar.result()).encode()));
      } else if (s.state() != Session.State.CLOSED) {
        s.write(loginFailure(Replies.codeOf(ar.cause())).encode());
      }
    });
  }

  private static JsonObject loginFailure(ErrorCode code) {
    return switch (code) {
      case ALREADY_ONLINE -> ClassicFrames.loginInUse();
      case BAD_CREDENTIALS, NOT_FOUND -> ClassicFrames.loginInvalid();
      case RATE_LIMITED -> ClassicFrames.loginInvalid().put("errmsg", "too many attempts, try again later!");
      default -> ClassicFrames.loginInvalid().put("errmsg", "server busy, try again later!");
    };
  }

}
