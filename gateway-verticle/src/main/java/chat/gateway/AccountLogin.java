package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.Register;
import chat.protocol.bus.SessionEnded;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account on one connection: registration, the login (its state in {@link LoginFlow}), who
 * logged in, and the end of the login, reported to chat with the delivery watermark so that the
 * next login resumes after it. Identity comes only from here: ids a client puts in later frames
 * are checked against it, never used.
 */
final class AccountLogin {
  private static final Logger LOG = LoggerFactory.getLogger(AccountLogin.class);
  private static final AtomicLong LOGINS = new AtomicLong();

  private final Session session;
  private final Connection conn;
  private final EventBus bus;
  private final Requests requests;
  private final Sessions registry;
  private final ConnectionGuard guard;
  private final String gatewayId;
  private final DeliveryTrack track;
  /** The connection's lines in the log: its login and logout here. */
  private final ConnectionTrail trail;
  private final LoginFlow flow = new LoginFlow();
  private Future<Void> registrations = Future.succeededFuture();
  private int userId;
  private String name;
  /** The resume token this login was given or used (v2), for logout to revoke; never logged. */
  private String token;
  private String address;

  AccountLogin(Session session, Connection conn, EventBus bus, Requests requests, Sessions registry,
      ConnectionGuard guard, String gatewayId, DeliveryTrack track, ConnectionTrail trail) {
    this.session = session;
    this.conn = conn;
    this.bus = bus;
    this.requests = requests;
    this.registry = registry;
    this.guard = guard;
    this.gatewayId = gatewayId;
    this.track = track;
    this.trail = trail;
  }

  LoginFlow flow() {
    return flow;
  }

  int userId() {
    return userId;
  }

  String name() {
    return name;
  }

  /**
   * One registration at a time per connection: replies keep the order of the requests, and of
   * two requests for one name the first wins (with hashes in parallel, the faster hash won).
   */
  Future<Integer> register(String regName, String password) {
    conn.beginRequest();
    Future<Integer> result = registrations.transform(v -> {
      if (regName == null || password == null) {
        return Replies.<Integer>refuse(ErrorCode.BAD_FIELD, "name and password are needed");
      }
      if (flow.closed() || conn.gone()) {
        return Replies.<Integer>refuse(ErrorCode.TIMEOUT, "the client left"); // no hash for nobody
      }
      return bus.<Register.Registered>request(Addresses.CHAT, new Register(regName, password, trail.remote(), deadline()))
          .map(reply -> reply.body().user());
    });
    registrations = result.<Void>transform(ar -> Future.succeededFuture()).onComplete(ar -> conn.endRequest());
    return result;
  }

  /**
   * Claims the account for this connection with a password or (v2) a resume token: the login
   * snapshot once chat has checked the credentials and claimed the account, or the refusal. A v2
   * password login is given a token; a token is kept for logout to revoke. The caller renders the
   * snapshot, writes it, and hands the write to the delivery track.
   */
  Future<LoginSnapshot> begin(int id, String password, String resumeToken, boolean v2) {
    if (!flow.awaitingLogin()) {
      return Replies.refuse(ErrorCode.FORBIDDEN, "already logged in on this connection");
    }
    long banned = guard.bans().accountLeftMs(id);
    if (banned > 0) {
      // before the password: a banned account costs no hash; that it is banned is all this tells
      registry.metrics().refused(GatewayMetrics.Limit.BANNED);
      return Replies.refuse(ErrorCode.BANNED, "this account is banned for " + Strikes.seconds(banned) + " more: too many refused requests");
    }
    flow.begin();
    userId = id;
    address = Addresses.session(gatewayId, LOGINS.incrementAndGet());
    track.login(id, v2);
    registry.bind(address, session);
    token = null;
    String sessionName = address;
    Login request = new Login(id, resumeToken == null ? password : null, resumeToken, sessionName, trail.remote(), deadline(),
        v2 && resumeToken == null, v2);
    conn.beginRequest(); // in flight like any request: a close with an error waits for its reply
    return bus.<LoginSnapshot>request(Addresses.CHAT, request).andThen(ar -> conn.endRequest()).transform(ar -> {
      if (flow.closed()) {
        if (ar.succeeded()) {
          reportEnd(id, sessionName, 0);
        }
        return Future.failedFuture("connection closed");
      }
      if (ar.failed()) {
        registry.metrics().loginRefused(Replies.codeOf(ar.cause()));
        registry.unbind(sessionName);
        flow.refused();
        return Future.failedFuture(ar.cause());
      }
      LoginSnapshot snapshot = ar.result().body();
      flow.accepted();
      conn.preLogin().giveBack();
      registry.metrics().loggedIn(snapshot.offline().messages().size()); // the caller writes them now
      registry.granted(session, sessionName);
      name = snapshot.name();
      token = snapshot.token();
      trail.loggedIn(id, v2);
      return Future.succeededFuture(snapshot);
    });
  }

  /** The gateway's request timeout is 30 s: chat does not claim an account for a login older than this. */
  private static long deadline() {
    return System.currentTimeMillis() + 25_000;
  }

  /** The login's resume token, forgotten here: the caller revokes it. */
  String takeToken() {
    String t = token;
    token = null;
    return t;
  }

  /** Checks the old password (bcrypt, in chat's HashQueue), stores the new one: {token, expires}, the only live token now. */
  Future<PasswordChange.Issued> changePassword(String old, String fresh) {
    return requests.chat(new PasswordChange(userId, old, fresh, trail.remote(), deadline()))
        .andThen(ar -> {
          if (ar.succeeded()) {
            token = ar.result().token();
          }
        });
  }

  /** A logout, once pending writes are done; the connection may log in again. */
  Future<Void> logout() {
    LoginFlow.State was = flow.logout();
    if (was == LoginFlow.State.LOGGED_IN) {
      trail.loggedOut();
    }
    Future<Void> ended = ended(was);
    conn.preLogin().takeAgain();
    return ended;
  }

  /** The connection closed or the node stops: the login, if any, ends for good. */
  Future<Void> close() {
    return ended(flow.close());
  }

  private Future<Void> ended(LoginFlow.State was) {
    if (was != LoginFlow.State.LOGGED_IN && was != LoginFlow.State.LOGGING_IN) {
      return Future.succeededFuture();
    }
    registry.unbind(address);
    track.stop();
    if (was == LoginFlow.State.LOGGING_IN) {
      return Future.succeededFuture(); // the login reply handler reports the end
    }
    int id = userId;
    String session = address;
    if (conn.gone()) {
      // nothing more will be sent: writes still queued never complete, so do not wait for them
      return reportEnd(id, session, track.watermark());
    }
    return conn.outbound().last().transform(ar -> reportEnd(id, session, track.watermark()));
  }

  private Future<Void> reportEnd(int id, String session, long seq) {
    return bus.request(Addresses.CHAT, new SessionEnded(id, session, seq))
        .onFailure(e -> LOG.warn("could not report the end of user {}'s session", id, e))
        .mapEmpty();
  }
}
