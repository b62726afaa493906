package chat.gateway;

import chat.protocol.ErrorCode;
import chat.protocol.ProtocolException;

/**
 * The login on one connection, as a small state machine: awaiting a login, logging in (chat is
 * checking the credentials), logged in, and closed for good. A request the current state does not
 * allow is refused with the code clients already know: a second login gets FORBIDDEN, a request
 * that needs a login NOT_LOGGED_IN. A logout goes back to awaiting a login at once; reporting its
 * end to chat is the session's and does not hold the next login up (as before).
 *
 * <p>Confined to the connection's event loop.
 */
final class LoginFlow {
  enum State { AWAITING_LOGIN, LOGGING_IN, LOGGED_IN, CLOSED }

  private State state = State.AWAITING_LOGIN;

  State state() {
    return state;
  }

  boolean awaitingLogin() {
    return state == State.AWAITING_LOGIN;
  }

  boolean loggingIn() {
    return state == State.LOGGING_IN;
  }

  boolean loggedIn() {
    return state == State.LOGGED_IN;
  }

  boolean closed() {
    return state == State.CLOSED;
  }

  /** A login begins; only one at a time, and only while none holds the connection. */
  void begin() {
    if (state != State.AWAITING_LOGIN) {
      throw new ProtocolException(ErrorCode.FORBIDDEN, "already logged in on this connection");
    }
    state = State.LOGGING_IN;
  }

  /**
   * Chat accepted the login: true if it now holds the connection, false if the connection closed
   * while chat was checking (the caller then reports the login's end at once).
   */
  boolean accepted() {
    if (state == State.CLOSED) {
      return false;
    }
    requireState(State.LOGGING_IN);
    state = State.LOGGED_IN;
    return true;
  }

  /** Chat refused the login: the connection awaits another, unless it closed meanwhile. */
  void refused() {
    if (state == State.LOGGING_IN) {
      state = State.AWAITING_LOGIN;
    }
  }

  /** For requests that need a login. */
  void requireLoggedIn() {
    if (state != State.LOGGED_IN) {
      throw new ProtocolException(ErrorCode.NOT_LOGGED_IN, "log in first");
    }
  }

  /** A logout: only a login can end; the connection then awaits another. Returns the state left. */
  State logout() {
    requireLoggedIn();
    state = State.AWAITING_LOGIN;
    return State.LOGGED_IN;
  }

  /** The connection closes (or the node stops): nothing more logs in. Returns the state left. */
  State close() {
    State was = state;
    state = State.CLOSED;
    return was;
  }

  private void requireState(State expected) {
    if (state != expected) {
      throw new IllegalStateException("login is " + state + ", not " + expected);
    }
  }
}
