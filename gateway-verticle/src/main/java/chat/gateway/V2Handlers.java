package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.V2Frames;
import chat.protocol.bus.ConversationList;
import chat.protocol.bus.EpochRead;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Logout;
import chat.protocol.bus.Peer;
import chat.protocol.bus.Profile;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.TypingSignal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The v2 requests (docs/protocol.md): one handler per type, each answering exactly once through
 * {@link Session#reply} or {@link Session#replyError}. A new request type is an entry here, its
 * shapes in the docs, and the frames it renders.
 */
final class V2Handlers {
  private static final int MAX_ID_CHARS = 64;
  private static final int MAX_SYNC = 500;
  /** As long as a name can be (users.name): a longer one cannot exist, so it is not looked up. */
  private static final int MAX_NAME_CHARS = 50;
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
      Map.entry("friend.request", social(FriendChange.Kind.REQUEST)),
      Map.entry("friend.accept", social(FriendChange.Kind.ACCEPT)),
      Map.entry("friend.decline", social(FriendChange.Kind.DECLINE)),
      Map.entry("friend.remove", social(FriendChange.Kind.REMOVE)),
      Map.entry("block", social(FriendChange.Kind.BLOCK)),
      Map.entry("unblock", social(FriendChange.Kind.UNBLOCK)),
      Map.entry("friends", V2Handlers::friends),
      Map.entry("profile", V2Handlers::profile),
      Map.entry("group.create", V2Handlers::createGroup),
      Map.entry("group.join", (s, req) -> {
        s.requireOnline();
        return s.chat(new GroupJoin(s.userId(), Frames.requireInt(req, "group"))).map(r -> new JsonObject());
      }),
      Map.entry("group.leave", group(GroupAction.Kind.LEAVE, false)),
      Map.entry("group.kick", group(GroupAction.Kind.KICK, true)),
      Map.entry("group.promote", group(GroupAction.Kind.PROMOTE, true)),
      Map.entry("group.demote", group(GroupAction.Kind.DEMOTE, true)),
      Map.entry("group.transfer", group(GroupAction.Kind.TRANSFER, true)),
      Map.entry("group.dissolve", group(GroupAction.Kind.DISSOLVE, false)),
      Map.entry("group.info", V2Handlers::groupInfo),
      Map.entry("groups", V2Handlers::groupList),
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

  /** A request about one other user, {user}; chat answers and tells the other side. Only a request says what it did. */
  private static Handler social(FriendChange.Kind kind) {
    return (s, req) -> {
      s.requireOnline();
      int other = Frames.requireInt(req, "user");
      return s.chat(new FriendChange(kind, s.userId(), s.userName(), other)).map(r -> V2Replies.friendChange(kind, r));
    };
  }

  /** {name, desc?} -> {group}: the same path as classic creategroup, so the same caps and checks. */
  private static Future<JsonObject> createGroup(Session s, JsonObject req) {
    s.requireOnline();
    GroupCreate create = new GroupCreate(s.userId(), Frames.requireString(req, "name"), Frames.optString(req, "desc", ""));
    return s.chat(create).map(r -> new JsonObject().put("group", r.group()));
  }

  /** A change to one group {group}, and to one of its members {user} when {@code aboutUser}. */
  private static Handler group(GroupAction.Kind kind, boolean aboutUser) {
    return (s, req) -> {
      s.requireOnline();
      int group = Frames.requireInt(req, "group");
      Integer user = aboutUser ? Frames.requireInt(req, "user") : null;
      return s.chat(new GroupAction(kind, s.userId(), group, user)).map(r -> new JsonObject());
    };
  }

  /** {group} -> {name, desc, members:[{id, name, role}]}: a read, straight to the store. */
  private static Future<JsonObject> groupInfo(Session s, JsonObject req) {
    s.requireOnline();
    return s.store(new GroupInfo(s.userId(), Frames.requireInt(req, "group"))).map(V2Replies::groupInfo);
  }

  /** -> {groups:[{id, name, desc, role}]}. */
  private static Future<JsonObject> groupList(Session s, JsonObject req) {
    s.requireOnline();
    return s.store(new GroupList(s.userId())).map(V2Replies::groupList);
  }

  /** {friends, incoming, outgoing, blocked}, each [{id, name}]. */
  private static Future<JsonObject> friends(Session s, JsonObject req) {
    s.requireOnline();
    return s.store(new FriendLists(s.userId())).map(V2Replies::friendLists);
  }

  /** {name} -> {user, name}: a read, so it goes straight to the store. */
  private static Future<JsonObject> profile(Session s, JsonObject req) {
    s.requireOnline();
    String name = Frames.requireString(req, "name");
    if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "name must be 1-50 characters");
    }
    return s.store(new Profile(name)).map(found -> new JsonObject().put("user", found.id()).put("name", found.name()));
  }

  /** {with:{user:id}|{group:id}} -> {}: pushed to the other side at most once a second, never stored. */
  private static Future<JsonObject> typing(Session s, JsonObject req) {
    s.requireOnline();
    return s.chat(new TypingSignal(s.userId(), conversation(req))).map(r -> new JsonObject());
  }

  /** {user:id} or {group:id}, exactly one, as {@code with} names a conversation. */
  private static Peer conversation(JsonObject req) {
    JsonObject with = req.getValue("with") instanceof JsonObject o ? o : null;
    Integer user = with == null ? null : Frames.optInt(with, "user");
    Integer group = with == null ? null : Frames.optInt(with, "group");
    if ((user == null) == (group == null)) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "with must be {user:id} or {group:id}");
    }
    return user != null ? Peer.user(user) : Peer.group(group);
  }

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
    Future<LoginSnapshot> login;
    if (req.getValue("token") != null) {
      String token = Frames.requireString(req, "token");
      login = s.beginLogin(userOf(token), null, token);
    } else {
      int user = Frames.requireInt(req, "user");
      login = s.beginLogin(user, Frames.requireString(req, "password"), null);
    }
    return login.compose(snapshot -> {
      JsonObject reply = V2Replies.login(snapshot, pushes(s, snapshot.offline().messages()));
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
    Peer peer = group != null ? Peer.group(group) : Peer.user(user);
    return s.send(peer, text, cmid).map(V2Replies::sent);
  }

  /** Everything in the user's inbox after {@code after}, in order, paged. */
  private static Future<JsonObject> sync(Session s, JsonObject req) {
    s.requireOnline();
    long after = Math.max(0, Frames.optInt(req, "after") == null ? 0 : req.getLong("after"));
    int limit = Math.max(1, Math.min(MAX_SYNC, Frames.optInt(req, "limit") == null ? 100 : req.getInteger("limit")));
    return s.store(new InboxPage(s.userId(), after, limit))
        .compose(page -> {
          JsonObject reply = new JsonObject()
              .put("msgs", pushes(s, page.messages()))
              .put("more", page.more())
              .put("last", page.last())
              .put("epoch", page.epoch());
          if (page.more()) {
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
    int limit = Math.max(1, Math.min(MAX_HISTORY, Frames.optInt(req, "limit") == null ? 50 : req.getInteger("limit")));
    Long before = req.containsKey("before") ? req.getLong("before") : null;
    return s.store(new HistoryPage(s.userId(), conversation(req), before, limit)).map(V2Replies::history);
  }

  private static Future<JsonObject> ack(Session s, JsonObject req) {
    s.requireOnline();
    s.ack(Frames.requireNonNegativeLong(req, "seq"));
    return Future.succeededFuture(new JsonObject());
  }

  /** Inbox entries as v2 shows them: [{seq, msg}]; their acks owe the senders receipts. */
  static JsonArray pushes(Session s, List<Delivery> entries) {
    JsonArray out = new JsonArray();
    for (Delivery d : entries) {
      s.sentToClient(d.seq(), d.message());
      out.add(new JsonObject().put("seq", d.seq()).put("msg", V2Frames.message(d.message())));
    }
    return out;
  }

  /** {with, upto} -> {}: the read cursor moves forward only; the other side of a 1:1 conversation is told. */
  private static Future<JsonObject> read(Session s, JsonObject req) {
    s.requireOnline();
    Peer with = conversation(req);
    long upto = Frames.requireNonNegativeLong(req, "upto");
    return s.chat(new ReadUpTo(s.userId(), with, upto)).map(r -> new JsonObject());
  }

  /** -> {conversations:[{with, last, read, unread}]}, as in the login reply. */
  private static Future<JsonObject> conversations(Session s, JsonObject req) {
    s.requireOnline();
    return s.store(new ConversationList(s.userId()))
        .map(list -> new JsonObject().put("conversations", V2Frames.conversations(list.conversations())));
  }

}
