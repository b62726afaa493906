package chat.gateway;

/**
 * Where one connection is in its life, as one state instead of a flag per fact. A connection is
 * open; an error makes it close (its error frame waits for the replies in flight, then ends the
 * stream); its socket can close while frames the peer sent before closing are still queued behind
 * a pause (those are still handled: a classic server reads to the end of the stream); and it is
 * closed once its socket is gone and its login has ended (it signed off).
 *
 * <p>Confined to the connection's event loop.
 */
final class ConnectionLife {
  enum State {
    /** Frames are handled and written. */
    OPEN,
    /** An error frame waits for the replies in flight: no frame is handled, replies are still written. */
    CLOSING,
    /** The error frame is written with the end of the stream: nothing more in or out until the socket closes. */
    ENDED,
    /** The socket is gone but the peer's last frames are still queued: they are handled, nothing is written. */
    DRAINING,
    /** The socket is gone and nothing more is handled: the login ends once the replies in flight are done. */
    FINISHING,
    /** The socket is gone and the login has ended. */
    CLOSED
  }

  private State state = State.OPEN;

  State state() {
    return state;
  }

  boolean open() {
    return state == State.OPEN;
  }

  /** Frames from the peer are handled. */
  boolean reads() {
    return state == State.OPEN || state == State.DRAINING;
  }

  /** Frames can still be written. */
  boolean writes() {
    return state == State.OPEN || state == State.CLOSING;
  }

  /** The connection stopped handling frames: closed for an error, dropped, or gone. */
  boolean stopped() {
    return !reads();
  }

  /** The socket is closed or being dropped: nothing more is written or delivered. */
  boolean gone() {
    return state == State.DRAINING || state == State.FINISHING || state == State.CLOSED;
  }

  /** The socket is gone and the login has not ended yet. */
  boolean draining() {
    return state == State.DRAINING || state == State.FINISHING;
  }

  /** No further frame is handled (an error, or a drop): true if this stopped it. */
  boolean stop() {
    if (state == State.OPEN) {
      state = State.CLOSING;
      return true;
    }
    if (state == State.DRAINING) {
      state = State.FINISHING;
      return true;
    }
    return false;
  }

  /** The error frame went out with the end of the stream. */
  void ended() {
    if (state != State.CLOSING) {
      throw new IllegalStateException("the error frame ends only a closing connection, not a " + state + " one");
    }
    state = State.ENDED;
  }

  /**
   * The socket closed (or is being dropped): an open connection drains what its peer sent, one
   * that was closing finishes. False if it was already gone.
   */
  boolean socketClosed() {
    switch (state) {
      case OPEN -> state = State.DRAINING;
      case CLOSING, ENDED -> state = State.FINISHING;
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The login ended: nothing remains of the connection but its socket's last bytes. */
  void signedOff() {
    state = State.CLOSED;
  }
}
