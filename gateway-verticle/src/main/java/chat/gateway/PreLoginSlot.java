package chat.gateway;

/**
 * One connection's place in the node's {@link PreLoginShare}: held from its admission until it logs
 * in, again after a logout, and given back once when it logs in, is evicted or closes.
 *
 * <p>Confined to the connection's event loop.
 */
final class PreLoginSlot {
  private final PreLoginShare share;
  private final String ip;
  private boolean held = true;

  /** A slot already entered at admission. */
  PreLoginSlot(PreLoginShare share, String ip) {
    this.share = share;
    this.ip = ip;
  }

  boolean held() {
    return held;
  }

  /** Logged in, evicted or closed: true if this gave the slot back. */
  boolean giveBack() {
    if (!held) {
      return false;
    }
    held = false;
    share.leave(ip);
    return true;
  }

  /** Logged out: without a login again. */
  void takeAgain() {
    if (!held) {
      held = true;
      share.reenter(ip);
    }
  }
}
