package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoreMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final StoreMetrics metrics = new StoreMetrics(registry);

  private static Batch batchOf(int n) {
    Submission s = new Submission(1, 2, null, "hi", "2026-01-01T00:00", null, Long.MAX_VALUE);
    return new Batch(java.util.stream.IntStream.range(0, n).mapToObj(i -> new Pending(s, Long.MAX_VALUE, o -> {})).toList(), Set.of(), 0);
  }

  @Test
  void everyBatchHasItsSizeAndOnlyACommittedOneItsCommitTime() {
    metrics.timed(batch -> Future.succeededFuture()).write(batchOf(3));
    metrics.timed(batch -> Future.failedFuture("database gone")).write(batchOf(2));
    var sizes = registry.get("chat.store.batch.size").summary();
    assertThat(sizes.count()).isEqualTo(2);
    assertThat(sizes.totalAmount()).isEqualTo(5);
    assertThat(registry.get("chat.store.commit").timer().count()).isEqualTo(1);
  }

  @Test
  void storedMessagesAreCountedByKindAndFailuresByCause() {
    metrics.stored(false);
    metrics.stored(true);
    metrics.stored(true);
    for (ErrorCode code : List.of(ErrorCode.UNAVAILABLE, ErrorCode.OVERLOADED, ErrorCode.LIMIT_REACHED, ErrorCode.FORBIDDEN)) {
      metrics.notStored(code);
    }
    assertThat(registry.get("chat.messages.stored").tag("kind", "direct").counter().count()).isEqualTo(1);
    assertThat(registry.get("chat.messages.stored").tag("kind", "group").counter().count()).isEqualTo(2);
    assertThat(registry.get("chat.messages.failed").counter().count()).as("unavailable and queue full").isEqualTo(2);
    assertThat(registry.get("chat.limit.refusals").tag("limit", "store_queue").counter().count()).isEqualTo(1);
    assertThat(registry.get("chat.limit.refusals").tag("limit", "inbox_cap").counter().count()).isEqualTo(1);
  }
}
