package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HashQueueTest {
  final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void beyondTheBoundJobsAreRefusedAtOnce(Vertx vertx) {
    HashQueue queue = new HashQueue(vertx, 2, now::get);
    Promise<String> first = Promise.promise();
    Promise<String> second = Promise.promise();
    queue.admit(first::future);
    queue.admit(second::future);
    AtomicBoolean ran = new AtomicBoolean();
    Future<String> third = queue.admit(() -> {
      ran.set(true);
      return Future.succeededFuture("x");
    });
    assertThat(third.failed()).isTrue();
    assertThat(Replies.codeOf(third.cause())).isEqualTo(ErrorCode.OVERLOADED);
    assertThat(ran).isFalse();
    first.complete("done");
    assertThat(queue.admit(() -> Future.succeededFuture("y")).result()).isEqualTo("y");
    second.fail("broken");
    assertThat(queue.pending()).isZero();
    assertThat(queue.status().peak()).isEqualTo(2);
    assertThat(queue.status().refused()).isEqualTo(1);
  }

  @Test
  void oneAddressGetsOnlyItsShareOfTheQueue(Vertx vertx) {
    HashQueue queue = new HashQueue(vertx, 8, 2, now::get);
    Promise<String> a1 = Promise.promise();
    queue.admit("10.0.0.1", a1::future);
    queue.admit("10.0.0.1", Promise.<String>promise()::future);
    Future<String> third = queue.admit("10.0.0.1", () -> Future.succeededFuture("x"));
    assertThat(Replies.codeOf(third.cause())).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(queue.admit("10.0.0.2", () -> Future.succeededFuture("other")).result()).isEqualTo("other");
    assertThat(queue.admit(null, () -> Future.succeededFuture("unlimited")).result()).isEqualTo("unlimited");
    a1.complete("done");
    assertThat(queue.admit("10.0.0.1", () -> Future.succeededFuture("again")).result()).isEqualTo("again");
  }

  @Test
  void aJobThatThrowsStillLeavesTheQueue(Vertx vertx) {
    HashQueue queue = new HashQueue(vertx, 1, now::get);
    Future<String> f = queue.admit(() -> {
      throw new IllegalStateException("bad request");
    });
    assertThat(f.failed()).isTrue();
    assertThat(queue.pending()).isZero();
  }

  @Test
  void aHashWhoseDeadlinePassedIsSkipped(Vertx vertx, VertxTestContext test) {
    HashQueue queue = new HashQueue(vertx, 4, now::get);
    AtomicBoolean hashed = new AtomicBoolean();
    queue.blocking(now.get(), () -> {
      hashed.set(true);
      return "hash";
    }).onComplete(test.failing(e -> test.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.TIMEOUT);
      assertThat(hashed).isFalse();
      assertThat(queue.status().skipped()).isEqualTo(1);
      assertThat(queue.status().run()).isZero();
      test.completeNow();
    })));
  }

  @Test
  void aHashBeforeItsDeadlineRuns(Vertx vertx, VertxTestContext test) {
    HashQueue queue = new HashQueue(vertx, 4, now::get);
    queue.blocking(now.get() + 1, () -> "hash").onComplete(test.succeeding(h -> test.verify(() -> {
      assertThat(h).isEqualTo("hash");
      assertThat(queue.status().run()).isEqualTo(1);
      test.completeNow();
    })));
  }
}
