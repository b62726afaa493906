package chat.persistence;

import chat.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for chat messages. Requests that arrive while a batch is being written queue up
 * and go together in the next transaction, so under load one commit carries many messages.
 * One batch at a time also keeps every recipient's sequence numbers in arrival order. What a
 * batch does in the database is its {@link BatchWriter}'s business; this class knows no SQL, so
 * that every order of events can be tested without a database.
 *
 * <p>A request whose (from, cmid) repeats an earlier request of its batch is not written: it gets
 * the original's messageId and time, duplicate true and no deliveries. Failures decided here:
 * OVERLOADED (queue full), UNAVAILABLE (the writer failed, the database did not answer within
 * the timeout, or the request waited past its deadline). Every request is answered exactly once.
 *
 * <p>A batch that gets no answer within {@code timeoutMs} before its COMMIT is abandoned: it
 * rolls back whenever the database answers again, its requests and everything queued behind it
 * fail at once, and the next requests form a new batch that probes the database. Once COMMIT
 * is sent the outcome is unknown until the database answers, so such a batch keeps waiting up
 * to its requests' deadlines while later batches go ahead.
 */
final class MessageBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MessageBatcher.class);
  static final int MAX_GROUPS_PER_BATCH = 64;
  /** The event-bus send timeout is 30 s: past this, nobody is waiting for the reply any more. */
  static final long MAX_WAIT_MS = 25_000;
  /** Heap of a queued request besides its text. */
  static final long ENTRY_OVERHEAD_BYTES = 256;

  private final BatchWriter writer;
  private final Timers timers;
  private final int maxBatch;
  private final long timeoutMs;
  private final StoreQueue<Pending> queue;
  private boolean flushing;
  private long refused;
  private long expired;
  private long failedBatches;

  MessageBatcher(BatchWriter writer, Timers timers, int maxBatch, long timeoutMs, StoreQueue<Pending> queue) {
    this.writer = writer;
    this.timers = timers;
    this.maxBatch = maxBatch;
    this.timeoutMs = timeoutMs;
    this.queue = queue;
  }

  void submit(Submission request, Consumer<StoreOutcome> answer) {
    long now = timers.now();
    long deadline = Math.min(request.deadline(), now + MAX_WAIT_MS);
    if (deadline <= now) {
      answer.accept(new StoreOutcome.Failed(ErrorCode.UNAVAILABLE, "deadline passed"));
      return;
    }
    Pending p = new Pending(request, deadline, answer);
    String text = request.text();
    long bytes = ENTRY_OVERHEAD_BYTES + (text == null ? 0 : 2L * text.length());
    if (!queue.offer(p, bytes, deadline)) {
      if (refused++ == 0) {
        LOG.warn("store queue full ({} requests, {} bytes): refusing messages", queue.size(), queue.bytes());
      }
      p.fail(ErrorCode.OVERLOADED, "store queue full");
      return;
    }
    if (!flushing) {
      flushing = true;
      // run after the requests already queued on this event loop, so they join the batch
      timers.later(this::flush);
    }
  }

  private void flush() {
    long now = timers.now();
    List<Pending> entries = new ArrayList<>();
    Set<Integer> groups = new LinkedHashSet<>();
    Pending head;
    while (entries.size() < maxBatch && (head = queue.peekLive(now, this::expire)) != null) {
      Integer group = head.group();
      if (group != null && !groups.contains(group) && groups.size() == MAX_GROUPS_PER_BATCH) {
        break;
      }
      if (group != null) {
        groups.add(group);
      }
      entries.add(queue.poll());
    }
    if (entries.isEmpty()) {
      flushing = false;
      return;
    }
    linkCopies(entries);
    Batch batch = new Batch(entries, groups, now);
    long timer = timers.setTimer(timeoutMs, () -> timedOut(batch));
    writer.write(batch).onComplete(ar -> {
      timers.cancelTimer(timer);
      finish(batch, ar.cause());
    });
  }

  /** Later requests of the batch with an earlier one's (from, cmid) wait for its outcome. */
  private static void linkCopies(List<Pending> entries) {
    if (entries.stream().allMatch(p -> p.cmid() == null)) {
      return;
    }
    List<ClientIds.Key> keys = new ArrayList<>(entries.size());
    for (Pending p : entries) {
      keys.add(p.cmid() == null ? null : new ClientIds.Key(p.from(), p.cmid()));
    }
    int[] first = ClientIds.firstOccurrences(keys);
    for (int i = 0; i < first.length; i++) {
      if (first[i] >= 0) {
        entries.get(i).sameAs = entries.get(first[i]);
      }
    }
  }

  private void finish(Batch batch, Throwable failure) {
    if (batch.abandoned) {
      return; // its requests were failed when it timed out; it rolled back
    }
    if (failure != null) {
      // one line per outage, not per batch: a dead database fails every batch at once
      if (failedBatches++ == 0) {
        LOG.warn("storing {} messages failed; later failures are counted until a batch succeeds", batch.size(), failure);
      }
    } else if (batch.detached) {
      LOG.info("a commit of {} messages answered after the database stalled", batch.size());
    }
    answer(batch, failure);
    if (failure == null && (refused > 0 || expired > 0 || failedBatches > 0)) {
      LOG.warn("store recovered: {} batches failed, {} messages refused (queue full) and {} expired meanwhile",
          failedBatches, refused, expired);
      refused = 0;
      expired = 0;
      failedBatches = 0;
    }
    if (!batch.detached) {
      flush();
    }
  }

  private static void answer(Batch batch, Throwable failure) {
    if (batch.answered) {
      return;
    }
    batch.answered = true;
    for (Pending p : batch.entries) {
      Pending outcome = p.sameAs != null ? p.sameAs : p;
      if (failure != null) {
        p.fail(ErrorCode.UNAVAILABLE, "store failed");
      } else if (outcome.refusal != null) {
        p.fail(outcome.refusal, refusalText(outcome));
      } else if (outcome.stored != null) {
        p.answer(outcome.stored);
      } else if (p.sameAs != null) {
        p.answer(outcome.result.asDuplicate());
      } else {
        p.answer(p.result);
      }
    }
  }

  private void timedOut(Batch batch) {
    if (batch.committing) {
      LOG.warn("a commit of {} messages got no answer within {} ms; later messages go ahead", batch.size(), timeoutMs);
      batch.detached = true;
      long waitFor = batch.deadline() - timers.now();
      timers.setTimer(Math.max(1, waitFor), () -> {
        if (!batch.answered) {
          LOG.warn("a commit of {} messages is still unanswered: reported as failed, outcome unknown", batch.size());
          answer(batch, new IllegalStateException("commit unanswered"));
        }
      });
    } else {
      if (failedBatches++ == 0) {
        LOG.warn("database gave no answer within {} ms: {} messages in the batch and {} queued fail", timeoutMs, batch.size(), queue.size());
      }
      batch.abandoned = true;
      answer(batch, new IllegalStateException("database timeout"));
      queue.drain(p -> p.fail(ErrorCode.UNAVAILABLE, "database not answering"));
    }
    flush();
  }

  private void expire(Pending p) {
    expired++;
    p.fail(ErrorCode.UNAVAILABLE, "waited past its deadline");
  }

  /** What the sender is told: the reason in words (the code says it to programs). */
  private static String refusalText(Pending p) {
    boolean group = p.group() != null;
    return switch (p.refusal) {
      case NOT_FOUND -> group ? "no such group" : "no such user";
      case FORBIDDEN -> group ? "not a member of this group" : "the recipient does not accept your messages";
      case LIMIT_REACHED -> "the recipient has too many unread messages from people who are not friends";
      default -> p.refusal.name();
    };
  }
}
