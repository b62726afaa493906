package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Register, login and the end of a session. */
final class Accounts {
  static final int MAX_NAME_CHARS = 50;
  static final int MAX_PASSWORD_BYTES = 1024;
  /** Used when a request carries no deadline: a little under the gateway's 30 s request timeout. */
  static final long DEFAULT_PATIENCE_MS = 25_000;

  private final Db db;
  private final Passwords passwords;
  private final HashQueue hashes;
  private final LoginGuard guard;
  private final Router router;
  private final int offlinePage;
  private final LongSupplier clock;

  Accounts(Db db, Passwords passwords, HashQueue hashes, LoginGuard guard, Router router, int offlinePage, LongSupplier clock) {
    this.db = db;
    this.passwords = passwords;
    this.hashes = hashes;
    this.guard = guard;
    this.router = router;
    this.offlinePage = offlinePage;
    this.clock = clock;
  }

  /** {name, password, ip?, deadline?} -> {id}. */
  Future<JsonObject> register(JsonObject req) {
    String name = req.getString("name");
    String password = req.getString("password");
    if (!Validation.isName(name, MAX_NAME_CHARS)) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "name must be 1-50 printable characters");
    }
    if (!Validation.isPassword(password, MAX_PASSWORD_BYTES)) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "password must be 1-1024 bytes");
    }
    long deadline = deadlineOf(req);
    ErrorCode refusal = guard.register(req.getString("ip"));
    if (refusal != null) {
      return Replies.refuse(refusal, "too many logins and registrations from this address");
    }
    return hashes.admit(guard.limited(req.getString("ip")), () -> passwords.hash(password, deadline))
        // nobody would learn the new id: do not take the name
        .compose(hash -> clock.getAsLong() >= deadline
            ? Replies.refuse(ErrorCode.TIMEOUT, "the client stopped waiting")
            : db.call(Addresses.DB_USER_CREATE, new JsonObject().put("name", name).put("hash", hash)));
  }

  /**
   * {id, password, session, ip?, deadline?} -> the login snapshot (below). The password is checked
   * before the account is claimed, so a wrong password never blocks the owner; the claim itself
   * is one step on this event loop, so two logins cannot both win. A login whose client stopped
   * waiting never claims: its session is gone, and the claim would lock the owner out.
   */
  Future<JsonObject> login(JsonObject req) {
    int id = req.getInteger("id");
    String password = req.getString("password");
    String session = req.getString("session");
    if (!Validation.isPassword(password, MAX_PASSWORD_BYTES)) {
      return Replies.refuse(ErrorCode.BAD_CREDENTIALS, "id or password is invalid");
    }
    String ip = req.getString("ip");
    long deadline = deadlineOf(req);
    ErrorCode refusal = guard.startLogin(id, ip);
    if (refusal != null) {
      return Replies.refuse(refusal, "too many login attempts, try again later");
    }
    return hashes.admit(guard.limited(ip), () -> checkPassword(id, password, deadline))
        .andThen(ar -> {
          if (ar.succeeded()) {
            guard.succeeded(id, ip);
          } else if (Replies.codeOf(ar.cause()) == ErrorCode.BAD_CREDENTIALS) {
            guard.failed(id, ip);
          } else {
            guard.abandoned(id, ip);
          }
        })
        .compose(user -> clock.getAsLong() >= deadline
            ? Replies.refuse(ErrorCode.TIMEOUT, "the client stopped waiting; the account was not claimed")
            : claimAndLoad(id, session, user, deadline));
  }

  private Future<JsonObject> checkPassword(int id, String password, long deadline) {
    return db.call(Addresses.DB_USER_GET, new JsonObject().put("id", id))
        .recover(e -> Replies.codeOf(e) == ErrorCode.NOT_FOUND ? Future.succeededFuture(null) : Future.failedFuture(e))
        .compose(
            user ->
                passwords
                    .verify(password, user == null ? null : user.getString("hash"), deadline)
                    .compose(ok -> ok ? Future.succeededFuture(user) : Replies.refuse(ErrorCode.BAD_CREDENTIALS, "id or password is invalid")));
  }

  private Future<JsonObject> claimAndLoad(int id, String session, JsonObject user, long deadline) {
    return router.claim(id, session).compose(claimed -> {
      if (!claimed) {
        return Replies.refuse(ErrorCode.ALREADY_ONLINE, "this account is using");
      }
      return db.call(Addresses.DB_LOGIN_LOAD, new JsonObject().put("id", id).put("limit", offlinePage))
          .compose(data -> loginReply(id, user.getString("name"), data))
          // a slow load can outlive the client as well: its ack would go nowhere
          .compose(reply -> clock.getAsLong() >= deadline
              ? Replies.<JsonObject>refuse(ErrorCode.TIMEOUT, "the client stopped waiting")
              : Future.succeededFuture(reply))
          .onFailure(e -> router.release(id, session));
    });
  }

  private long deadlineOf(JsonObject req) {
    Long deadline = req.getLong("deadline");
    return deadline != null ? deadline : clock.getAsLong() + DEFAULT_PATIENCE_MS;
  }

  /**
   * The login snapshot: {id, name, friends:[{id,name,online}], requests:{incoming, outgoing}, groups:[{id,name,desc,
   * members:[{id,name,role,online}]}], offline:[{seq,message}], last, more}. Presence is chat's
   * to add; turning it into a frame is the gateway's.
   */
  private Future<JsonObject> loginReply(int id, String name, JsonObject data) {
    List<Integer> people = new ArrayList<>();
    data.getJsonArray("friends").forEach(f -> people.add(((JsonObject) f).getInteger("id")));
    data.getJsonArray("groups").forEach(g -> ((JsonObject) g).getJsonArray("members")
        .forEach(m -> people.add(((JsonObject) m).getInteger("id"))));
    return router.online(people).map(online -> {
      for (Object o : data.getJsonArray("friends")) {
        JsonObject f = (JsonObject) o;
        f.put("online", online.contains(f.getInteger("id")));
      }
      for (Object g : data.getJsonArray("groups")) {
        for (Object m : ((JsonObject) g).getJsonArray("members")) {
          JsonObject u = (JsonObject) m;
          // the user logging in is online by definition, even before the registry says so
          u.put("online", u.getInteger("id") == id || online.contains(u.getInteger("id")));
        }
      }
      JsonObject offline = data.getJsonObject("offline");
      return new JsonObject()
          .put("id", id)
          .put("name", name)
          .put("friends", data.getJsonArray("friends"))
          .put("requests", data.getJsonObject("requests"))
          .put("groups", data.getJsonArray("groups"))
          .put("offline", offline.getJsonArray("messages"))
          .put("last", offline.getLong("last"))
          .put("more", offline.getBoolean("more"));
    });
  }

  /**
   * {id, session, delivered} -> {}: logout or a dropped connection. The delivery watermark is
   * written before the account is released, so the next login never sees a stale one.
   */
  Future<JsonObject> sessionClosed(JsonObject req) {
    int id = req.getInteger("id");
    String session = req.getString("session");
    long delivered = req.getLong("delivered", 0L);
    Future<JsonObject> marked =
        delivered > 0
            ? db.call(Addresses.DB_DELIVERED, new JsonObject().put("marks", new JsonArray().add(new JsonArray().add(id).add(delivered))))
            : Future.succeededFuture(new JsonObject());
    return marked.eventually(() -> {
      router.release(id, session);
      return Future.succeededFuture();
    });
  }
}
