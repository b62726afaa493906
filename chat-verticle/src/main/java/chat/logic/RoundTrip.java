package chat.logic;

/**
 * Whether this node's publishes still come back through Redis: it publishes a ping on its own
 * channel every {@link #periodMs} and is late once a ping has stayed away longer than the bound
 * (CHAT_PUBSUB_ROUNDTRIP_MS). The heartbeat alone cannot tell: a Redis that takes commands but
 * delivers nothing (paused, overloaded, a subscription silently gone) looks up to it. Pure: the
 * caller gives the times.
 *
 * <p>Confined to the chat verticle's event loop.
 */
final class RoundTrip {
  private final long boundMs;
  /** When the oldest ping that may still be out was sent, or -1 if none is out. */
  private long outSince = -1;
  private long lastSent = -1;

  RoundTrip(long boundMs) {
    this.boundMs = boundMs;
  }

  /** A ping a third of the bound apart: one lost ping alone does not make the node late. */
  long periodMs() {
    return Math.max(100, boundMs / 3);
  }

  void sent(long nowMs) {
    if (outSince < 0) {
      outSince = nowMs;
    }
    lastSent = nowMs;
  }

  /**
   * The ping sent at {@code sentAt} came back. Pings keep their order on one connection, so the
   * ones sent before it are back or lost; only those sent after it may still be out, and the
   * oldest of them was sent by the last send at the latest (which makes the check a little late,
   * never early).
   */
  void returned(long sentAt) {
    if (outSince < 0 || sentAt < outSince) {
      return; // none is out that this one could answer for
    }
    outSince = lastSent > sentAt ? lastSent : -1;
  }

  /** False once a ping has been out longer than the bound. */
  boolean ok(long nowMs) {
    return outSince < 0 || nowMs - outSince <= boundMs;
  }

  /** For the status report: "ok" or "late". */
  String status(long nowMs) {
    return ok(nowMs) ? "ok" : "late";
  }
}
