package chat.gateway;

/**
 * One connection's lines in the {@link ConnectionLog} and the fields they share: its id, the
 * client's address, the transport, the protocol and user once logged in, and why it closed (the
 * first cause given wins: an error frame's code, a drop, the peer, the server).
 *
 * <p>Confined to the connection's event loop.
 */
final class ConnectionTrail {
  private final ConnectionLog log;
  private final long id;
  private final String remote;
  private final String transport;
  private String protocol;
  private int user;
  private String reason;
  private boolean closed;

  ConnectionTrail(ConnectionLog log, long id, String remote, String transport) {
    this.log = log;
    this.id = id;
    this.remote = remote;
    this.transport = transport;
  }

  long id() {
    return id;
  }

  String remote() {
    return remote;
  }

  String transport() {
    return transport;
  }

  String protocol() {
    return protocol;
  }

  /** Why the connection closed, or null while no cause was given. */
  String reason() {
    return reason;
  }

  /** A cause of the close; only the first one counts. */
  void because(String why) {
    if (reason == null) {
      reason = why;
    }
  }

  /** Chat granted {@code userId} the login: only now is the id the connection's, not merely claimed. */
  void loggedIn(int userId, boolean v2) {
    user = userId;
    protocol = v2 ? "v2" : "classic";
    log.line("logged in", this, user, null);
  }

  void loggedOut() {
    log.line("logged out", this, user, null);
    user = 0;
  }

  /** The socket is closed and the login has ended; once. */
  void closed() {
    if (!closed) {
      closed = true;
      log.line("connection closed", this, user, reason == null ? "unknown" : reason);
    }
  }
}
