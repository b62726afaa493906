package chat.persistence;

import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.InboxPage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a user sees at login: friends, groups with members, and undelivered messages. */
final class LoginData {
  /** What a frame adds to its text: ids, name, time, keys. */
  private static final int FRAME_OVERHEAD_BYTES = 100;
  /** Most messages in one page, whatever a caller asks for (v2 sync passes the client's limit). */
  static final int MAX_PAGE = 500;

  private final Pool pool;
  private final int pageBytes;
  private final Epoch epoch;
  private final ReadCursors cursors;

  /** {@code pageBytes}: the frames of one page (and so of the login ack) stop at about this size. */
  LoginData(Pool pool, int pageBytes, Epoch epoch, ReadCursors cursors) {
    this.pool = pool;
    this.pageBytes = pageBytes;
    this.epoch = epoch;
    this.cursors = cursors;
  }

  /**
   * {id, limit, conversations?} -> {friends:[{id,name}], requests:{incoming:[{id,name}], outgoing:[...]}, groups:[{id,name,desc,members:[{id,name,role}]}],
   * offline:{messages:[{seq,message}], last, more}, epoch, conversations (when asked: v2 only, classic
   * has nowhere to show them):[{with, last, read, unread}]}. The first offline page starts after the
   * user's delivered watermark. A page holds at most {@code limit} messages and, past its first
   * message, at most about pageBytes of text: the rest follows in later pages ({@code more}).
   */
  Future<JsonObject> load(JsonObject req) {
    int id = req.getInteger("id");
    int limit = req.getInteger("limit");
    Future<RowSet<Row>> user = pool.preparedQuery(SqlQueries.SELECT_USER).execute(Tuple.of(id));
    Future<RowSet<Row>> friends = pool.preparedQuery(SqlQueries.SELECT_FRIENDS).execute(Tuple.of(id));
    Future<RowSet<Row>> groups =
        pool.preparedQuery(SqlQueries.SELECT_GROUPS_OF_USER).execute(Tuple.of(id));
    Future<RowSet<Row>> members =
        pool.preparedQuery(SqlQueries.SELECT_MEMBERS_OF_USERS_GROUPS).execute(Tuple.of(id));
    Future<String> current = epoch.read();
    Future<RowSet<Row>> requests = pool.preparedQuery(SqlQueries.SELECT_REQUESTS_OF_USER).execute(Tuple.of(id, id));
    Future<JsonArray> conversations = req.getBoolean("conversations", false)
        ? cursors.conversations(id).map(ReadCursors::toJson) : Future.succeededFuture(null);
    return Future.all(List.of(user, friends, groups, members, current, requests, conversations))
        .compose(
            all -> {
              if (user.result().size() == 0) {
                return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
              }
              long delivered = user.result().iterator().next().getLong("delivered_seq");
              JsonObject result =
                  new JsonObject()
                      .put("friends", friendsOf(friends.result()))
                      .put("requests", requestsOf(requests.result()))
                      .put("groups", groupsOf(groups.result(), members.result()))
                      .put("epoch", current.result());
              if (conversations.result() != null) {
                result.put("conversations", conversations.result());
              }
              return page(id, delivered, limit).map(offline -> result.put("offline", toJson(offline)));
            });
  }

  private static JsonObject requestsOf(RowSet<Row> rows) {
    JsonObject requests = new JsonObject().put("incoming", new JsonArray()).put("outgoing", new JsonArray());
    for (Row r : rows) {
      requests.getJsonArray(r.getString("kind")).add(new JsonObject().put("id", r.getInteger("id")).put("name", r.getString("name")));
    }
    return requests;
  }

  /**
   * Any {@code after} from 0 up is fine: a client that lost its numbers syncs from 0 and pages
   * through whatever its inbox still holds.
   */
  Future<InboxPage.Page> offlinePage(InboxPage req) {
    if (req.after() < 0 || req.limit() < 1) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "after must be >= 0 and limit >= 1");
    }
    Future<String> current = epoch.read();
    Future<InboxPage.Page> page = page(req.user(), req.after(), req.limit());
    return Future.all(current, page).map(all -> {
      InboxPage.Page p = page.result();
      return new InboxPage.Page(p.messages(), p.last(), p.more(), current.result());
    });
  }

  /** A page without its epoch: the caller reads that alongside. */
  private Future<InboxPage.Page> page(int userId, long after, int requested) {
    int limit = Math.min(requested, MAX_PAGE);
    return pool.preparedQuery(SqlQueries.SELECT_INBOX_PAGE)
        .execute(Tuple.of(userId, after, limit + 1, pageBytes))
        .map(
            rows -> {
              List<Delivery> messages = new ArrayList<>();
              long last = after;
              long bytes = 0;
              boolean more = false;
              for (Row r : rows) {
                ChatMessage message = messageOf(r);
                long size = utf8Length(message.text()) + FRAME_OVERHEAD_BYTES;
                if (messages.size() == limit || (!messages.isEmpty() && bytes + size > pageBytes)) {
                  more = true;
                  break;
                }
                bytes += size;
                last = r.getLong("seq");
                messages.add(new Delivery(last, message));
              }
              return new InboxPage.Page(messages, last, more, null);
            });
  }

  /** The login snapshot's JSON form of a page, until the snapshot is a bus record too. */
  private static JsonObject toJson(InboxPage.Page page) {
    JsonArray messages = new JsonArray();
    page.messages().forEach(d -> messages.add(new JsonObject().put("seq", d.seq()).put("message", d.message().toJson())));
    return new JsonObject().put("messages", messages).put("last", page.last()).put("more", page.more());
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static ChatMessage messageOf(Row r) {
    return new ChatMessage(r.getLong("id"), r.getInteger("sender_id"), r.getString("name"), r.getInteger("to_id"),
        r.getInteger("group_id"), r.getString("body"), r.getLocalDateTime("created_at"));
  }

  private static JsonArray friendsOf(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      out.add(new JsonObject().put("id", r.getInteger("id")).put("name", r.getString("name")));
    }
    return out;
  }

  private static JsonArray groupsOf(RowSet<Row> groups, RowSet<Row> members) {
    Map<Integer, JsonObject> byId = new LinkedHashMap<>();
    for (Row g : groups) {
      byId.put(
          g.getInteger("id"),
          new JsonObject()
              .put("id", g.getInteger("id"))
              .put("name", g.getString("name"))
              .put("desc", g.getString("description"))
              .put("members", new JsonArray()));
    }
    for (Row m : members) {
      JsonObject group = byId.get(m.getInteger("group_id"));
      if (group != null) {
        group
            .getJsonArray("members")
            .add(
                new JsonObject()
                    .put("id", m.getInteger("id"))
                    .put("name", m.getString("name"))
                    .put("role", m.getString("role")));
      }
    }
    return new JsonArray(new java.util.ArrayList<>(byId.values()));
  }
}
