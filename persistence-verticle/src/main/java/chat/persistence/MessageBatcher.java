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
 * the original's messageId and time, duplicate true and no deliveries. Every request is answered
 * once, within {@code timeoutMs} of its arrival whatever the database does: stored; failed only
 * when it is surely not stored: OVERLOADED (queue full), UNAVAILABLE (its deadline passed before
 * it was written, or its batch failed or timed out before COMMIT); or {@link StoreOutcome.Unknown}.
 *
 * <p>A batch that gets no answer within the timeout before its COMMIT is abandoned: it rolls back
 * whenever the database answers again, its requests and everything queued behind it fail at
 * once, and the next requests form a new batch that probes the database. A batch whose COMMIT is
 * sent (the outcome is the database's) is told Unknown at the timeout instead, and later batches
 * go ahead; when the database answers after all, each of its requests gets a second, late
 * outcome (the Stored to deliver, or the failure). Until then a resend of one of them (same
 * cmid) that cannot be written is told Unknown as well, never refused ({@link InDoubt}).
 */
final class MessageBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(MessageBatcher.class);
  static final int MAX_GROUPS_PER_BATCH = 64;
  /** Heap of a queued request besides its text. */
  static final long ENTRY_OVERHEAD_BYTES = 256;

  private final BatchWriter writer;
  private final Timers timers;
  private final int maxBatch;
  private final long timeoutMs;
  private final StoreQueue<Pending> queue;
  private final InDoubt inDoubt = new InDoubt();
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
    long deadline = Math.min(request.deadline(), now + timeoutMs);
    Pending p = new Pending(request, deadline, answer);
    if (deadline <= now) {
      refuse(p, ErrorCode.UNAVAILABLE, "deadline passed");
      return;
    }
    String text = request.text();
    long bytes = ENTRY_OVERHEAD_BYTES + (text == null ? 0 : 2L * text.length());
    if (!queue.offer(p, bytes, deadline)) {
      if (refused++ == 0) {
        LOG.warn("store queue full ({} requests, {} bytes): refusing messages", queue.size(), queue.bytes());
      }
      refuse(p, ErrorCode.OVERLOADED, "store queue full");
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
    // armed for the batch's earliest deadline: a request that waited in the queue is still answered in time
    long timer = timers.setTimer(Math.max(1, Math.min(timeoutMs, batch.deadline() - now)), () -> timedOut(batch));
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
    if (batch.unknown) {
      inDoubt.remove(batch.entries);
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

  private void answer(Batch batch, Throwable failure) {
    if (batch.answered) {
      return;
    }
    batch.answered = true;
    for (Pending p : batch.entries) {
      if (failure != null && !batch.unknown) {
        refuse(p, ErrorCode.UNAVAILABLE, "store failed");
      } else {
        p.answer(outcome(p, failure)); // after Unknown: the late outcome
      }
    }
  }

  private static StoreOutcome outcome(Pending p, Throwable failure) {
    Pending original = p.sameAs != null ? p.sameAs : p;
    if (failure != null) {
      return new StoreOutcome.Failed(ErrorCode.UNAVAILABLE, "store failed");
    } else if (original.refusal != null) {
      return new StoreOutcome.Failed(original.refusal, original.refusalText());
    } else if (original.stored != null) {
      return original.stored;
    }
    return p.sameAs != null ? original.result.asDuplicate() : p.result;
  }

  private void timedOut(Batch batch) {
    if (batch.committing) {
      LOG.warn("a commit of {} messages got no answer within {} ms: outcome unknown; later messages go ahead", batch.size(), timeoutMs);
      batch.detached = true;
      batch.unknown = true;
      inDoubt.add(batch.entries);
      batch.entries.forEach(p -> p.answer(new StoreOutcome.Unknown()));
    } else {
      if (failedBatches++ == 0) {
        LOG.warn("database gave no answer within {} ms: {} messages in the batch and {} queued fail", timeoutMs, batch.size(), queue.size());
      }
      batch.abandoned = true;
      answer(batch, new IllegalStateException("database timeout"));
      queue.drain(p -> refuse(p, ErrorCode.UNAVAILABLE, "database not answering"));
    }
    flush();
  }

  /** Surely not stored by this request; but a resend of one whose outcome is unknown is told that again. */
  private void refuse(Pending p, ErrorCode code, String why) {
    if (inDoubt.contains(p)) {
      p.answer(new StoreOutcome.Unknown());
    } else {
      p.fail(code, why);
    }
  }

  /** (sender, cmid) pairs whose outcome is unknown and not yet answered by the database. */
  int inDoubt() {
    return inDoubt.size();
  }

  private void expire(Pending p) {
    expired++;
    refuse(p, ErrorCode.UNAVAILABLE, "waited past its deadline");
  }
}
