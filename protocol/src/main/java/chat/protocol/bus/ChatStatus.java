package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * How the chat verticle is doing: the node's /health shows the report, and a gateway asks it to
 * tell whether any chat instance is still in the cluster.
 */
public record ChatStatus() implements ChatRequest<ChatStatus.Report> {
  /**
   * {@code redis} is "up", "down" or "off" (no cluster); {@code pubsub} is "ok", "late" (this
   * node's own ping has not come back through Redis within its bound) or "off"; {@code online}
   * counts this node's logins.
   */
  public record Report(String redis, String pubsub, int online, Hashes hashes, int loginGuardEntries) implements ChatReply {}

  /** The password-hash queue: waiting now, most ever waiting, its bound, hashes run, skipped (caller gone), refused (full). */
  public record Hashes(int pending, int peak, int max, long run, long skipped, long refused) {}

  @Override
  public Future<Report> handleWith(ChatHandler handler) {
    return handler.status(this);
  }
}
