package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.V2Frames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * The v2 requests (docs/protocol.md): one handler per type, each answering exactly once through
 * {@link Session#reply} or {@link Session#replyError}. A new request type is an entry here, its
 * shapes in the docs, and the frames it renders.
 */
final class V2Handlers {
  private static final int MAX_ID_CHARS = 64;
  private static final int MAX_SYNC = 500;
  private static final int MAX_HISTORY = 100;

  private interface Handler {
    Future<JsonObject> handle(Session s, JsonObject req);
  }

  private static final Map<String, Handler> HANDLERS = Map.ofEntries(
      Map.entry("hello", V2Handlers::hello),
      Map.entry("register", V2Handlers::register),
      Map.entry("login", V2Handlers::login),
      Map.entry("logout", V2Handlers::logout),
      Map.entry("password", V2Handlers::password),
      Map.entry("ping", (s, req) -> Future.succeededFuture(new JsonObject().put("time", V2Frames.time(Instant.now())))),
      Map.entry("send", V2Handlers::send),
      Map.entry("sync", V2Handlers::sync),
      Map.entry("ack", V2Handlers::ack),
      Map.entry("history", V2Handlers::history),
      Map.entry("friend.request", social(Addresses.CHAT_FRIEND_REQUEST)),
      Map.entry("friend.accept", social(Addresses.CHAT_FRIEND_ACCEPT)),
      Map.entry("friend.decline", social(Addresses.CHAT_FRIEND_DECLINE)),
      Map.entry("friend.remove", social(Addresses.CHAT_FRIEND_REMOVE)),
      Map.entry("block", social(Addresses.CHAT_BLOCK)),
      Map.entry("unblock", social(Addresses.CHAT_UNBLOCK)),
      Map.entry("friends", V2Handlers::friends),
      Map.entry("group.create", V2Handlers::createGroup),
      Map.entry("group.join", group(Addresses.CHAT_JOIN_GROUP, false)),
      Map.entry("group.leave", group(Addresses.CHAT_GROUP_LEAVE, false)),
      Map.entry("group.kick", group(Addresses.CHAT_GROUP_KICK, true)),
      Map.entry("group.promote", group(Addresses.CHAT_GROUP_PROMOTE, true)),
      Map.entry("group.demote", group(Addresses.CHAT_GROUP_DEMOTE, true)),
      Map.entry("group.transfer", group(Addresses.CHAT_GROUP_TRANSFER, true)),
      Map.entry("group.dissolve", group(Addresses.CHAT_GROUP_DISSOLVE, false)),
      Map.entry("group.info", group(Addresses.CHAT_GROUP_INFO, false)),
      Map.entry("groups", (s, req) -> {
        s.requireOnline();
        return s.request(Addresses.CHAT_GROUPS_LIST, new JsonObject().put("userId", s.userId()));
      }),
      Map.entry("read", V2Handlers::read),
      Map.entry("conversations", V2Handlers::conversations),
      Map.entry("typing", V2Handlers::typing));

  private V2Handlers() {}

  /** Handles one v2 frame; a frame without a usable id gets an error without {@code re}. */
  static void handle(Session s, JsonObject frame) {
    String id;
    String type;
    try {
      id = Frames.requireString(frame, "id");
      type = Frames.requireString(frame, "type");
      if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
        throw new ProtocolException(ErrorCode.BAD_FIELD, "id must be 1-64 characters");
      }
    } catch (ProtocolException e) {
      s.replyError(null, e.code(), e.getMessage());
      return;
    }
    Handler h = HANDLERS.get(type);
    if (h == null) {
      s.replyError(id, ErrorCode.UNKNOWN_MSGID, "unknown type: " + type);
      return;
    }
    Future<JsonObject> result;
    try {
      result = h.handle(s, frame);
    } catch (ProtocolException e) {
      result = Future.failedFuture(e);
    } catch (ClassCastException | NumberFormatException e) {
      result = Future.failedFuture(new ProtocolException(ErrorCode.BAD_FIELD, "a field has the wrong type"));
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        if (ar.result() != null) {
          s.reply(id, ar.result());
        }
      } else {
        s.replyError(id, Replies.codeOf(ar.cause()), ar.cause().getMessage());
      }
    });
  }

  /** A request about one other user, {user}; chat answers and tells the other side. */
  private static Handler social(String address) {
    return (s, req) -> {
      s.requireOnline();
      int other = Frames.requireInt(req, "user");
      return s.request(address, new JsonObject().put("userId", s.userId()).put("name", s.userName()).put("other", other));
    };
  }

  /** {name, desc?} -> {group}: the same path as classic creategroup, so the same caps and checks. */
  private static Future<JsonObject> createGroup(Session s, JsonObject req) {
    s.requireOnline();
    JsonObject request = new JsonObject().put("userId", s.userId()).put("name", Frames.requireString(req, "name"))
        .put("desc", Frames.optString(req, "desc", ""));
    return s.request(Addresses.CHAT_CREATE_GROUP, request).map(r -> new JsonObject().put("group", r.getInteger("groupId")));
  }

  /** A request about one group {group}, and about one of its members {user} when {@code aboutUser}. */
  private static Handler group(String address, boolean aboutUser) {
    return (s, req) -> {
      s.requireOnline();
      JsonObject request = new JsonObject().put("userId", s.userId()).put("groupId", Frames.requireInt(req, "group"));
      if (aboutUser) {
        request.put("user", Frames.requireInt(req, "user"));
      }
      return s.request(address, request);
    };
  }

  /** {friends, incoming, outgoing, blocked}, each [{id, name}]. */
  private static Future<JsonObject> friends(Session s, JsonObject req) {
    s.requireOnline();
    return s.request(Addresses.CHAT_FRIENDS_LIST, new JsonObject().put("userId", s.userId()));
  }

  /** {with:{user:id}|{group:id}} -> {}: pushed to the other side at most once a second, never stored. */
  private static Future<JsonObject> typing(Session s, JsonObject req) {
    s.requireOnline();
    return s.request(Addresses.CHAT_TYPING, new JsonObject().put("userId", s.userId()).put("with", conversation(req)));
  }

  /** {user:id} or {group:id}, exactly one, as {@code with} names a conversation. */
  private static JsonObject conversation(JsonObject req) {
    JsonObject with = req.getValue("with") instanceof JsonObject o ? o : null;
    if (with == null || (Frames.optInt(with, "user") == null) == (Frames.optInt(with, "group") == null)) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "with must be {user:id} or {group:id}");
    }
    Integer user = Frames.optInt(with, "user");
    return user != null ? new JsonObject().put("user", user) : new JsonObject().put("group", Frames.optInt(with, "group"));
  }

  /** The store's epoch comes with it: a client that kept another one re-syncs from 0. */
  private static Future<JsonObject> hello(Session s, JsonObject req) {
    return s.request(Addresses.DB_EPOCH, new JsonObject())
        .map(e -> new JsonObject().put("server", "chat-node").put("protocol", 2).put("epoch", e.getString("epoch"))
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
        .put("maxIdChars", MAX_ID_CHARS)
        .put("syncLimit", MAX_SYNC)
        .put("historyLimit", MAX_HISTORY);
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
    Future<JsonObject> login;
    if (req.getValue("token") != null) {
      String token = Frames.requireString(req, "token");
      login = s.beginLogin(userOf(token), new JsonObject().put("token", token).put("conversations", true));
    } else {
      int user = Frames.requireInt(req, "user");
      String password = Frames.requireString(req, "password");
      login = s.beginLogin(user, new JsonObject().put("password", password).put("issueToken", true).put("conversations", true));
    }
    return login.compose(snapshot -> {
      JsonObject reply = new JsonObject()
          .put("user", snapshot.getInteger("id"))
          .put("name", snapshot.getString("name"))
          .put("token", snapshot.getString("token"))
          .put("expires", expires(snapshot.getString("expires")))
          .put("friends", snapshot.getJsonArray("friends"))
          .put("requests", snapshot.getJsonObject("requests"))
          .put("groups", snapshot.getJsonArray("groups"))
          .put("conversations", snapshot.getJsonArray("conversations", new JsonArray()))
          .put("msgs", pushes(s, snapshot.getJsonArray("offline")))
          .put("seq", snapshot.getLong("last"))
          .put("more", snapshot.getBoolean("more"))
          .put("epoch", snapshot.getString("epoch"));
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
        : s.request(Addresses.CHAT_TOKEN_REVOKE, new JsonObject().put("token", token)).map(r -> new JsonObject()));
  }

  private static Future<JsonObject> password(Session s, JsonObject req) {
    s.requireOnline();
    return s.changePassword(Frames.requireString(req, "old"), Frames.requireString(req, "new"))
        .map(r -> r.copy().put("expires", expires(r.getString("expires"))));
  }

  /** A token's expiry: chat gives it as an Instant's text, v2 shows it as every other time. */
  private static String expires(String instant) {
    return instant == null ? null : V2Frames.time(Instant.parse(instant));
  }

  private static Future<JsonObject> send(Session s, JsonObject req) {
    s.requireOnline();
    String cmid = Frames.requireString(req, "cmid");
    if (cmid.isEmpty() || cmid.codePointCount(0, cmid.length()) > MAX_ID_CHARS) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "cmid must be 1-64 characters");
    }
    JsonObject to = req.getValue("to") instanceof JsonObject o ? o : null;
    if (to == null) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "to must be {user:id} or {group:id}");
    }
    Integer user = Frames.optInt(to, "user");
    Integer group = Frames.optInt(to, "group");
    if ((user == null) == (group == null)) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "to must be {user:id} or {group:id}");
    }
    String text = Frames.requireString(req, "text");
    s.requireMessageToken();
    JsonObject request = new JsonObject().put("from", s.userId()).put("name", s.userName()).put("msg", text).put("cmid", cmid);
    return group != null
        ? s.request(Addresses.CHAT_GROUP, request.put("group", group)).map(V2Handlers::sent)
        : s.request(Addresses.CHAT_ONE, request.put("to", user)).map(V2Handlers::sent);
  }

  private static JsonObject sent(JsonObject stored) {
    JsonObject reply = new JsonObject().put("messageId", stored.getLong("messageId"))
        .put("duplicate", stored.getBoolean("duplicate", false));
    if (stored.containsKey("time")) {
      // chat's LocalDateTime text, local to the node's zone (see V2Frames.time)
      reply.put("time", V2Frames.time(LocalDateTime.parse(stored.getString("time"))));
    }
    return reply;
  }

  /** Everything in the user's inbox after {@code after}, in order, paged. */
  private static Future<JsonObject> sync(Session s, JsonObject req) {
    s.requireOnline();
    long after = Math.max(0, Frames.optInt(req, "after") == null ? 0 : req.getLong("after"));
    int limit = Math.max(1, Math.min(MAX_SYNC, Frames.optInt(req, "limit") == null ? 100 : req.getInteger("limit")));
    return s.request(Addresses.DB_OFFLINE_PAGE, new JsonObject().put("id", s.userId()).put("after", after).put("limit", limit))
        .compose(page -> {
          JsonObject reply = new JsonObject()
              .put("msgs", pushes(s, page.getJsonArray("messages")))
              .put("more", page.getBoolean("more"))
              .put("last", page.getLong("last"))
              .put("epoch", page.getString("epoch"));
          if (page.getBoolean("more")) {
            return Future.succeededFuture(reply);
          }
          // the last page brings the unread counts as they stand now, so a client that caught up
          // after a reconnect needs no second request to set them right
          return conversations(s, req).map(c -> reply.put("conversations", c.getJsonArray("conversations")));
        });
  }

  /** A conversation (1:1 or a group the user is in), newest first, paged backwards by message id. */
  private static Future<JsonObject> history(Session s, JsonObject req) {
    s.requireOnline();
    JsonObject request = new JsonObject().put("user", s.userId()).put("with", conversation(req))
        .put("limit", Math.max(1, Math.min(MAX_HISTORY, Frames.optInt(req, "limit") == null ? 50 : req.getInteger("limit"))));
    if (req.containsKey("before")) {
      request.put("before", req.getLong("before"));
    }
    return s.request(Addresses.DB_HISTORY, request).map(page -> {
      JsonArray msgs = new JsonArray();
      page.getJsonArray("messages").forEach(m -> msgs.add(V2Frames.message(ChatMessage.fromJson((JsonObject) m))));
      return new JsonObject().put("msgs", msgs).put("more", page.getBoolean("more"));
    });
  }

  private static Future<JsonObject> ack(Session s, JsonObject req) {
    s.requireOnline();
    s.ack(Frames.requireNonNegativeLong(req, "seq"));
    return Future.succeededFuture(new JsonObject());
  }

  /** Inbox entries [{seq, message}] as v2 shows them: [{seq, msg}]; their acks owe the senders receipts. */
  private static JsonArray pushes(Session s, JsonArray entries) {
    JsonArray out = new JsonArray();
    for (Object o : entries) {
      JsonObject e = (JsonObject) o;
      ChatMessage m = ChatMessage.fromJson(e.getJsonObject("message"));
      s.sentToClient(e.getLong("seq"), m);
      out.add(new JsonObject().put("seq", e.getLong("seq")).put("msg", V2Frames.message(m)));
    }
    return out;
  }

  /** {with, upto} -> {}: the read cursor moves forward only; the other side of a 1:1 conversation is told. */
  private static Future<JsonObject> read(Session s, JsonObject req) {
    s.requireOnline();
    JsonObject with = conversation(req);
    long upto = Frames.requireNonNegativeLong(req, "upto");
    return s.request(Addresses.CHAT_READ, new JsonObject().put("userId", s.userId()).put("with", with).put("upto", upto));
  }

  /** -> {conversations:[{with, last, read, unread}]}, as in the login reply. */
  private static Future<JsonObject> conversations(Session s, JsonObject req) {
    s.requireOnline();
    return s.request(Addresses.DB_CONVERSATIONS, new JsonObject().put("user", s.userId()));
  }

}
