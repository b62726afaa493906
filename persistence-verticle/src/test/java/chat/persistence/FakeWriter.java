package chat.persistence;

import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A database under the test's control: each batch waits until the test stores, refuses or fails
 * it. Storing numbers every recipient's messages from 1 in the order batches are stored, as the
 * real writers do under their row locks.
 */
final class FakeWriter implements BatchWriter {
  final List<Batch> batches = new ArrayList<>();
  private final List<Promise<Void>> promises = new ArrayList<>();
  final Map<Integer, Long> lastSeq = new HashMap<>();
  /** Texts whose messages the "database" refuses, and how. */
  final Map<String, ErrorCode> refuse = new HashMap<>();
  private long nextId = 100;

  @Override
  public Future<Void> write(Batch batch) {
    for (int i = 0; i < batches.size(); i++) {
      Batch earlier = batches.get(i);
      if (!promises.get(i).future().isComplete() && !earlier.detached && !earlier.abandoned) {
        throw new AssertionError("batch " + i + " is still being written: its sequence numbers would interleave");
      }
    }
    batches.add(batch);
    Promise<Void> p = Promise.promise();
    promises.add(p);
    return p.future();
  }

  Batch batch(int i) {
    return batches.get(i);
  }

  /** Sets the outcome of batch {@code i} as a real writer would, without answering it yet. */
  void decide(int i) {
    for (Pending p : batch(i).entries) {
      if (p.sameAs != null) {
        continue;
      }
      ErrorCode refusal = refuse.get(p.request.text());
      if (refusal != null) {
        p.refusal = refusal;
        continue;
      }
      int to = p.to() != null ? p.to() : -p.group(); // a group stands in for its members
      long seq = lastSeq.merge(to, 1L, Long::sum);
      p.recipients.clear();
      p.recipients.add(to);
      p.result = new StoreOutcome.Stored(nextId++, p.request.time(), false, List.of(new StoreOutcome.Delivery(to, seq)));
    }
  }

  /** Batch {@code i} committed. */
  void store(int i) {
    decide(i);
    promises.get(i).complete();
  }

  void fail(int i, String why) {
    promises.get(i).fail(new IllegalStateException(why));
  }

  /** Batch {@code i} sent its COMMIT (or a call that commits by itself) and awaits the answer. */
  void committing(int i) {
    batch(i).committing = true;
  }

  int written() {
    return batches.size();
  }
}
