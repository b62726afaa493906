package chat.gateway;

import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.ProtocolException;
import chat.protocol.V2Frames;
import chat.protocol.bus.ConversationList;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.Peer;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.TypingSignal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** The v2 requests about messages: send, sync, ack, history, read cursors, conversations and typing. */
final class V2MessageHandlers {
  static final int MAX_SYNC = 500;
  static final int MAX_HISTORY = 100;

  static final Map<String, V2Protocol.Handler> HANDLERS = Map.ofEntries(
      Map.entry("send", V2MessageHandlers::send),
      Map.entry("sync", V2MessageHandlers::sync),
      Map.entry("ack", V2MessageHandlers::ack),
      Map.entry("history", V2MessageHandlers::history),
      Map.entry("read", V2MessageHandlers::read),
      Map.entry("conversations", V2MessageHandlers::conversations),
      Map.entry("typing", V2MessageHandlers::typing));

  private V2MessageHandlers() {}

  private static Future<JsonObject> send(Session s, JsonObject req) {
    s.requireOnline();
    String cmid = Frames.requireString(req, "cmid");
    if (cmid.isEmpty() || cmid.codePointCount(0, cmid.length()) > V2Protocol.MAX_ID_CHARS) {
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
    s.delivery().ack(Frames.requireNonNegativeLong(req, "seq"));
    return Future.succeededFuture(new JsonObject());
  }

  /** Inbox entries as v2 shows them: [{seq, msg}]; their acks owe the senders receipts. */
  static JsonArray pushes(Session s, List<Delivery> entries) {
    JsonArray out = new JsonArray();
    for (Delivery d : entries) {
      s.delivery().sent(d.seq(), d.message());
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
}
