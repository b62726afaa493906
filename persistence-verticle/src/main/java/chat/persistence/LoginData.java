package chat.persistence;

import chat.protocol.ClassicFrames;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a user sees at login: friends, groups with members, and undelivered messages. */
final class LoginData {
  private final Pool pool;

  LoginData(Pool pool) {
    this.pool = pool;
  }

  /**
   * {id, limit} -> {friends:[{id,name}], groups:[{id,name,desc,members:[{id,name,role}]}],
   * offline:{messages:[{seq,frame}], last, more}}. The first offline page starts after the
   * user's delivered watermark.
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
    return Future.all(user, friends, groups, members)
        .compose(
            all -> {
              if (user.result().size() == 0) {
                return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
              }
              long delivered = user.result().iterator().next().getLong("delivered_seq");
              JsonObject result =
                  new JsonObject()
                      .put("friends", friendsOf(friends.result()))
                      .put("groups", groupsOf(groups.result(), members.result()));
              return page(id, delivered, limit).map(offline -> result.put("offline", offline));
            });
  }

  /** {id, after, limit} -> {messages:[{seq, frame}], last, more}. */
  Future<JsonObject> offlinePage(JsonObject req) {
    return page(req.getInteger("id"), req.getLong("after"), req.getInteger("limit"));
  }

  private Future<JsonObject> page(int userId, long after, int limit) {
    return pool.preparedQuery(SqlQueries.SELECT_INBOX_PAGE)
        .execute(Tuple.of(userId, after, limit + 1))
        .map(
            rows -> {
              JsonArray messages = new JsonArray();
              long last = after;
              for (Row r : rows) {
                if (messages.size() == limit) {
                  break;
                }
                last = r.getLong("seq");
                messages.add(new JsonObject().put("seq", last).put("frame", frameOf(r)));
              }
              return new JsonObject()
                  .put("messages", messages)
                  .put("last", last)
                  .put("more", rows.size() > limit);
            });
  }

  private static String frameOf(Row r) {
    Integer group = r.getInteger("group_id");
    if (group != null) {
      return ClassicFrames.groupChat(
          r.getInteger("sender_id"), r.getString("name"), group, r.getString("body"),
          r.getLocalDateTime("created_at"));
    }
    return ClassicFrames.oneChat(
        r.getInteger("sender_id"), r.getString("name"), r.getInteger("to_id"), r.getString("body"),
        r.getLocalDateTime("created_at"));
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
