package chat.gateway;

import chat.protocol.Frames;
import chat.protocol.V2Frames;
import chat.protocol.bus.EpochRead;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Logout;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** The v2 requests about the connection and its account: hello, ping, register, login, logout, password. */
final class V2AccountHandlers {
  static final Map<String, V2Protocol.Handler> HANDLERS = Map.ofEntries(
      Map.entry("hello", V2AccountHandlers::hello),
      Map.entry("register", V2AccountHandlers::register),
      Map.entry("login", V2AccountHandlers::login),
      Map.entry("logout", V2AccountHandlers::logout),
      Map.entry("password", V2AccountHandlers::password),
      Map.entry("ping", (s, req) -> Future.succeededFuture(new JsonObject().put("time", V2Frames.time(Instant.now())))));

  private V2AccountHandlers() {}

  /** The store's epoch comes with it: a client that kept another one re-syncs from 0. */
  private static Future<JsonObject> hello(Session s, JsonObject req) {
    return s.store(new EpochRead())
        .map(e -> new JsonObject().put("server", "chat-node").put("protocol", 2).put("epoch", e.epoch())
            .put("limits", limits(s.options())));
  }

  /** What a client must stay within (docs/protocol.md section 2), as this node is configured. */
  static JsonObject limits(GatewayOptions o) {
    return new JsonObject()
        .put("maxFrameBytes", o.maxFrameBytes())
        .put("maxDepth", o.maxDepth())
        .put("maxPendingRequests", o.maxInFlight())
        .put("requestRate", rate(o.frameRate()))
        .put("requestBurst", o.frameBurst())
        .put("messageRate", rate(o.messageRate()))
        .put("messageBurst", o.messageBurst())
        .put("idleTimeoutMs", o.idleTimeoutMs())
        .put("maxIdChars", V2Protocol.MAX_ID_CHARS)
        .put("syncLimit", V2MessageHandlers.MAX_SYNC)
        .put("historyLimit", V2MessageHandlers.MAX_HISTORY);
  }

  /** A rate per second: a whole number as one (100, not 100.0). */
  private static Number rate(double perSecond) {
    return perSecond == Math.rint(perSecond) ? (Number) (long) perSecond : (Number) perSecond;
  }

  private static Future<JsonObject> register(Session s, JsonObject req) {
    return s.register(Frames.requireString(req, "name"), Frames.requireString(req, "password"))
        .map(id -> new JsonObject().put("user", id));
  }

  /** The reply carries the login snapshot and the first page of what the user has not acked. */
  private static Future<JsonObject> login(Session s, JsonObject req) {
    String re = Frames.requireString(req, "id");
    Future<LoginSnapshot> login;
    if (req.getValue("token") != null) {
      String token = Frames.requireString(req, "token");
      login = s.beginLogin(userOf(token), null, token);
    } else {
      int user = Frames.requireInt(req, "user");
      login = s.beginLogin(user, Frames.requireString(req, "password"), null);
    }
    return login.compose(snapshot -> {
      JsonObject reply = V2Replies.login(snapshot, V2MessageHandlers.pushes(s, snapshot.offline().messages()));
      // written here rather than by handle(): the delivery core must know when it was
      s.startDelivery(snapshot, s.writePaced(V2Frames.ok(re, reply).encode()));
      return Future.succeededFuture(null);
    });
  }

  /**
   * The user a token names, unchecked: the session is bound to it while chat checks the signature.
   * Anything unreadable becomes 0 (no such account), so it still reaches chat and counts as a
   * failure of the address.
   */
  static int userOf(String token) {
    int dot = token.indexOf('.');
    try {
      return dot > 0 && dot <= 10 ? Integer.parseInt(token.substring(0, dot)) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Ends the login, then revokes its token: a failed revocation is reported (1501), the logout stands. */
  private static Future<JsonObject> logout(Session s, JsonObject req) {
    s.requireOnline();
    String token = s.takeToken();
    return s.logout().compose(v -> token == null
        ? Future.succeededFuture(new JsonObject())
        : s.chat(new Logout(token)).map(r -> new JsonObject()));
  }

  private static Future<JsonObject> password(Session s, JsonObject req) {
    s.requireOnline();
    return s.changePassword(Frames.requireString(req, "old"), Frames.requireString(req, "new"))
        .map(r -> new JsonObject().put("token", r.token()).put("expires", V2Replies.expires(r.expires())));
  }
}
