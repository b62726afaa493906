package chat.persistence;

import java.util.List;
import java.util.Set;

/**
 * One transaction's worth of requests and where it stands. The batcher and its writer share it:
 * the writer says when COMMIT is on its way, the batcher when nobody waits for the batch any more.
 */
final class Batch {
  /**
   * How long after it started a batch whose COMMIT was sent still asks the database for its
   * outcome, for the late outcome its senders' gateways wait for (within the bus timeout).
   */
  static final long LATE_WINDOW_MS = chat.protocol.bus.StoreMessage.WAIT_MS;
  final List<Pending> entries;
  /** The groups its messages go to, in first-seen order: members are read once per group. */
  final Set<Integer> groups;
  final long startedAt;
  /** Timed out before COMMIT: must roll back, its requests have been failed. */
  boolean abandoned;
  /** COMMIT sent (or a call that commits by itself): only the database can tell the outcome. */
  boolean committing;
  /** Later batches went ahead: it may no longer be numbered after them, nor start another flush. */
  boolean detached;
  /** Its requests were told {@link StoreOutcome.Unknown}: the database's answer, when it comes, is their late outcome. */
  boolean unknown;
  boolean answered;

  Batch(List<Pending> entries, Set<Integer> groups, long startedAt) {
    this.entries = entries;
    this.groups = groups;
    this.startedAt = startedAt;
  }

  int size() {
    return entries.size();
  }

  /** The earliest deadline of its requests: past it, nobody waits for the batch's answers. */
  long deadline() {
    return entries.stream().mapToLong(p -> p.deadline).min().orElse(0);
  }

  /** Until when a writer that sent COMMIT keeps asking whether it happened (answered Unknown meanwhile). */
  long lateDeadline() {
    return startedAt + LATE_WINDOW_MS;
  }
}
