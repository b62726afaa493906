package chat.logic;

import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs off the users of nodes that died without doing it themselves (kill -9, a lost host).
 * Their locations already count as offline (no heartbeat), but their friends were told "online"
 * and nobody else would tell them otherwise. Every node looks for dead boots at each tick; one of
 * them wins a claim per boot and clears its users in pages, at most {@code maxPerTick} per tick,
 * so a node that held many users costs the survivors a steady trickle of presence pushes rather
 * than one burst. The cleared users go to the presence path, coalesced like any logout.
 */
final class NodeReaper {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReaper.class);
  /** Dead boots looked at per tick; more are found at later ticks. */
  static final int BOOTS_PER_TICK = 16;

  private final ClusterLink link;
  private final int page;
  private final int maxPerTick;
  private final long leaseMs;
  private final PresenceCoalescer.Emitter presence;
  private boolean running;

  NodeReaper(ClusterLink link, int page, int maxPerTick, long leaseMs, PresenceCoalescer.Emitter presence) {
    this.link = link;
    this.page = Math.min(page, maxPerTick);
    this.maxPerTick = maxPerTick;
    this.leaseMs = leaseMs;
    this.presence = presence;
  }

  /** One look for dead boots; skipped while the previous one still runs, so ticks never pile up. */
  Future<Integer> tick() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return link.deadBoots(BOOTS_PER_TICK)
        .compose(dead -> reapEach(dead, 0, 0))
        .onFailure(e -> LOG.debug("reaper tick failed: {}", e.getMessage()))
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private Future<Integer> reapEach(List<String> dead, int index, int done) {
    if (index == dead.size() || done >= maxPerTick) {
      return Future.succeededFuture(done);
    }
    String boot = dead.get(index);
    // the lease outlives a tick: the winner keeps the boot until it is done, or dies and another takes over
    return link.claimReap(boot, leaseMs)
        .compose(won -> won ? pages(boot, done) : Future.succeededFuture(done))
        .compose(total -> reapEach(dead, index + 1, total));
  }

  private Future<Integer> pages(String boot, int done) {
    int n = Math.min(page, maxPerTick - done);
    return link.reapPage(boot, n).compose(p -> {
      p.cleared().forEach(user -> presence.emit(user, false));
      int total = done + n;
      if (p.left() == 0) {
        LOG.info("signed off the users of dead node boot {}", boot);
        return Future.succeededFuture(total);
      }
      return total >= maxPerTick ? Future.succeededFuture(total) : pages(boot, total);
    });
  }
}
