package chat.logic;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Done;
import chat.protocol.bus.Friend;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginLoad;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Logout;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.PasswordSet;
import chat.protocol.bus.Register;
import chat.protocol.bus.SessionEnded;
import chat.protocol.bus.UserCreate;
import chat.protocol.bus.UserGet;
import chat.protocol.bus.MarkDelivered;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Register, login and the end of a session. */
final class Accounts {
  static final int MAX_NAME_CHARS = 50;
  static final int MAX_PASSWORD_BYTES = 1024;

  private final Db db;
  private final Passwords passwords;
  private final HashQueue hashes;
  private final LoginGuard guard;
  private final TokenBook tokens;
  private final Router router;
  private final int offlinePage;
  private final LongSupplier clock;
  /** A future that completes after that many milliseconds: how a slowed login waits. */
  private final java.util.function.LongFunction<Future<Void>> timer;

  Accounts(Db db, Passwords passwords, HashQueue hashes, LoginGuard guard, TokenBook tokens, Router router,
      int offlinePage, LongSupplier clock, java.util.function.LongFunction<Future<Void>> timer) {
    this.timer = timer;
    this.db = db;
    this.tokens = tokens;
    this.passwords = passwords;
    this.hashes = hashes;
    this.guard = guard;
    this.router = router;
    this.offlinePage = offlinePage;
    this.clock = clock;
  }

  Future<Register.Registered> register(Register req) {
    String name = req.name();
    String password = req.password();
    if (!Validation.isName(name, MAX_NAME_CHARS)) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "name must be 1-50 printable characters");
    }
    if (!Validation.isPassword(password, MAX_PASSWORD_BYTES)) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "password must be 1-1024 bytes");
    }
    long deadline = req.deadline();
    ErrorCode refusal = guard.register(req.ip());
    if (refusal != null) {
      return Replies.refuse(refusal, "too many logins and registrations from this address");
    }
    return hashes.admit(guard.limited(req.ip()), () -> passwords.hash(password, deadline))
        // nobody would learn the new id: do not take the name
        .compose(hash -> clock.getAsLong() >= deadline
            ? Replies.refuse(ErrorCode.TIMEOUT, "the client stopped waiting")
            : db.ask(new UserCreate(name, hash)).map(r -> new Register.Registered(r.id())));
  }

  /**
   * The login snapshot, with the token after a token login or when issueToken is set (v2; classic
   * has no use for one). The password is checked before the account is claimed, so a wrong
   * password never blocks the owner; the claim itself is one step on this event loop, so two
   * logins cannot both win. A login whose client stopped waiting never claims: its session is
   * gone, and the claim would lock the owner out.
   */
  Future<LoginSnapshot> login(Login req) {
    int id = req.user();
    if (req.token() != null) {
      return tokenLogin(req);
    }
    if (!Validation.isPassword(req.password(), MAX_PASSWORD_BYTES)) {
      return Replies.refuse(ErrorCode.BAD_CREDENTIALS, "id or password is invalid");
    }
    long deadline = req.deadline();
    return guarded(id, req.ip(), () -> checkPassword(id, req.password(), deadline))
        .compose(user -> clock.getAsLong() >= deadline
            ? Replies.refuse(ErrorCode.TIMEOUT, "the client stopped waiting; the account was not claimed")
            : claimAndLoad(req, user.name(), req.issueToken() ? () -> tokens.issue(id) : null));
  }

  /**
   * A login with a resume token: no bcrypt and no HashQueue, so a reconnect storm after a restart
   * costs a MAC and one indexed read per client. The address limits apply as for passwords.
   */
  private Future<LoginSnapshot> tokenLogin(Login req) {
    String ip = req.ip();
    ErrorCode refusal = guard.startTokenLogin(ip);
    if (refusal != null) {
      return Replies.refuse(refusal, "too many login attempts, try again later");
    }
    return tokens.check(req.token(), req.user())
        .andThen(ar -> {
          if (ar.failed() && Replies.codeOf(ar.cause()) == ErrorCode.BAD_CREDENTIALS) {
            guard.tokenFailed(ip);
          } else {
            guard.tokenEnded(ip);
          }
        })
        .compose(checked -> clock.getAsLong() >= req.deadline()
            ? Replies.refuse(ErrorCode.TIMEOUT, "the client stopped waiting; the account was not claimed")
            : claimAndLoad(req, checked.name(),
                // the same token goes back: logout revokes the one the connection holds
                () -> Future.succeededFuture(new PasswordChange.Issued(req.token(), checked.expires()))));
  }

  /**
   * The old password is checked like a login
   * (same backoff, through the HashQueue), then the new hash is stored and every token of the user
   * revoked in one transaction; the caller's connection gets a fresh token.
   */
  Future<PasswordChange.Issued> changePassword(PasswordChange req) {
    int id = req.user();
    String old = req.old();
    String fresh = req.fresh();
    if (!Validation.isPassword(fresh, MAX_PASSWORD_BYTES)) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "password must be 1-1024 bytes");
    }
    if (!Validation.isPassword(old, MAX_PASSWORD_BYTES)) {
      return Replies.refuse(ErrorCode.BAD_CREDENTIALS, "the old password is wrong");
    }
    String ip = req.ip();
    long deadline = req.deadline();
    return guarded(id, ip, () -> checkPassword(id, old, deadline).compose(user -> passwords.hash(fresh, deadline)))
        .compose(hash -> db.ask(new PasswordSet(id, hash)))
        .compose(v -> tokens.issue(id));
  }

  /**
   * Runs a password check (and what follows it) through the account's and the address's backoff
   * and the bcrypt queue, and tells the guard how it ended: a wrong password counts as a failure,
   * anything else (refused, timed out, database) does not.
   */
  private <T> Future<T> guarded(int id, String ip, java.util.function.Supplier<Future<T>> check) {
    ErrorCode refusal = guard.startLogin(id, ip);
    if (refusal != null) {
      return Replies.refuse(refusal, "too many login attempts, try again later");
    }
    long delay = guard.delayFor(id, ip);
    Future<Void> waited = delay == 0 ? Future.succeededFuture() : timer.apply(delay).andThen(ar -> guard.delayOver(id));
    return waited.compose(v -> hashes.admit(guard.limited(ip), check))
        .andThen(ar -> {
          if (ar.succeeded()) {
            guard.succeeded(id, ip);
          } else if (Replies.codeOf(ar.cause()) == ErrorCode.BAD_CREDENTIALS) {
            guard.failed(id, ip);
          } else {
            guard.abandoned(id, ip);
          }
        });
  }

  /** Logout: the connection's token stops working. */
  Future<Done> revokeToken(Logout req) {
    return tokens.revoke(req.token()).map(v -> Done.DONE);
  }

  private Future<UserGet.Account> checkPassword(int id, String password, long deadline) {
    return db.ask(new UserGet(id))
        .recover(e -> Replies.codeOf(e) == ErrorCode.NOT_FOUND ? Future.succeededFuture(null) : Future.failedFuture(e))
        .compose(
            user ->
                passwords
                    .verify(password, user == null ? null : user.hash(), deadline)
                    .compose(ok -> ok ? Future.succeededFuture(user) : Replies.refuse(ErrorCode.BAD_CREDENTIALS, "id or password is invalid")));
  }

  /** {@code token}, when not null, gives the snapshot its {token, expires} once the account is claimed. */
  private Future<LoginSnapshot> claimAndLoad(Login req, String name, java.util.function.Supplier<Future<PasswordChange.Issued>> token) {
    int id = req.user();
    String session = req.session();
    return router.claim(id, session).compose(claimed -> {
      if (!claimed) {
        return Replies.refuse(ErrorCode.ALREADY_ONLINE, "this account is using");
      }
      Future<LoginLoad.Data> loaded = db.ask(new LoginLoad(id, offlinePage, req.conversations()));
      return loaded
          .compose(data -> token == null ? Future.succeededFuture(new PasswordChange.Issued(null, null)) : token.get())
          .compose(t -> snapshot(id, name, loaded.result(), t.token(), t.expires()))
          // a slow load can outlive the client as well: its ack would go nowhere
          .compose(reply -> clock.getAsLong() >= req.deadline()
              ? Replies.<LoginSnapshot>refuse(ErrorCode.TIMEOUT, "the client stopped waiting")
              : Future.succeededFuture(reply))
          .onFailure(e -> router.release(id, session));
    });
  }

  /** The store's login data with presence added: chat's to add; turning it into a frame is the gateway's. */
  private Future<LoginSnapshot> snapshot(int id, String name, LoginLoad.Data data, String token, String expires) {
    List<Integer> people = new ArrayList<>();
    // presence by consent: a friend's state is looked up only when each has the other as a friend
    data.friends().stream().filter(Friend::mutual).forEach(f -> people.add(f.id()));
    data.groups().forEach(g -> g.members().forEach(m -> people.add(m.id())));
    return router.online(people).map(online -> {
      List<Friend> friends = data.friends().stream().map(f -> f.online(online.contains(f.id()))).toList();
      List<GroupView> groups = data.groups().stream().map(g -> new GroupView(g.id(), g.name(), g.desc(),
          // the user logging in is online by definition, even before the registry says so
          g.members().stream().map(m -> m.online(m.id() == id || online.contains(m.id()))).toList())).toList();
      return new LoginSnapshot(id, name, friends, data.incoming(), data.outgoing(), groups, data.offline(),
          data.conversations(), token, expires);
    });
  }

  /**
   * {id, session, delivered} -> {}: logout or a dropped connection. The delivery watermark is
   * written before the account is released, so the next login never sees a stale one.
   */
  Future<Done> sessionClosed(SessionEnded req) {
    int id = req.user();
    String session = req.session();
    long delivered = req.delivered();
    Future<?> marked =
        delivered > 0
            ? db.ask(new MarkDelivered(List.of(new MarkDelivered.Mark(id, delivered))))
            : Future.succeededFuture();
    return marked.map(v -> Done.DONE).eventually(() -> {
      router.release(id, session);
      return Future.succeededFuture();
    });
  }
}
