package chat.logic;

import chat.protocol.ErrorCode;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.bus.ChatStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Admission to bcrypt. Without a bound, pipelined requests queued on the worker pool and kept
 * hashing for minutes after their clients had gone; now at most {@code max} jobs are pending per
 * node and the rest are refused at once, and a hash whose requester's deadline has passed before
 * it starts is skipped. Admission is counted on the chat event loop, which owns this object.
 */
final class HashQueue {
  /**
   * Threads that may hash at once. On Vert.x's worker pool (20 threads) a full queue ran 20
   * hashes side by side and starved the event loops: on 2 cores, chat latency went past 1 s while
   * registrations or password guesses were being hashed. Half the cores keep the rest for chat.
   */
  static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private final Vertx vertx;
  private final io.vertx.core.WorkerExecutor workers;
  private final int max;
  private final int maxPerAddress;
  /** Pending jobs per client address; an entry lives only while its jobs do, so at most max entries. */
  private final java.util.Map<String, Integer> byAddress = new java.util.HashMap<>();
  private final LongSupplier clock;
  private int pending;
  private int peak;
  private long refused;
  // written on worker threads
  private final AtomicLong run = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  HashQueue(Vertx vertx, int max, LongSupplier clock) {
    this(vertx, max, Math.max(1, max / 16), clock);
  }

  HashQueue(Vertx vertx, int max, int maxPerAddress, LongSupplier clock) {
    this.maxPerAddress = maxPerAddress;
    this.vertx = vertx;
    // created on the verticle's context, so closed when it is undeployed
    this.workers = vertx.createSharedWorkerExecutor("chat-bcrypt", THREADS);
    this.max = max;
    this.clock = clock;
  }

  /**
   * Runs a job that ends in a hash (a lookup and then a verification, say), counting it as pending
   * from now until it completes, or refuses it with OVERLOADED when the queue is full.
   */
  <T> Future<T> admit(Supplier<Future<T>> job) {
    return admit(null, job);
  }

  /**
   * As {@link #admit(Supplier)}, with at most {@code maxPerAddress} jobs of one client address
   * pending: a few guessing hosts must not fill the queue that real logins need. {@code address}
   * null: not limited (unknown, or a proxy on this host).
   */
  <T> Future<T> admit(String address, Supplier<Future<T>> job) {
    if (pending >= max) {
      refused++;
      return Replies.refuse(ErrorCode.OVERLOADED, "too many logins and registrations in progress");
    }
    if (address != null) {
      if (byAddress.getOrDefault(address, 0) >= maxPerAddress) {
        refused++;
        return Replies.refuse(ErrorCode.RATE_LIMITED, "too many logins and registrations in progress from this address");
      }
      byAddress.merge(address, 1, Integer::sum);
    }
    pending++;
    peak = Math.max(peak, pending);
    Future<T> result;
    try {
      result = job.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(ar -> {
      pending--;
      if (address != null) {
        byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
      }
    });
  }

  /** Runs one hash on a worker, unless the deadline (epoch ms) has passed by the time it starts. */
  <T> Future<T> blocking(long deadline, Callable<T> hash) {
    return workers.executeBlocking(() -> {
      if (clock.getAsLong() >= deadline) {
        skipped.incrementAndGet();
        throw new ProtocolException(ErrorCode.TIMEOUT, "the client stopped waiting before its password was checked");
      }
      run.incrementAndGet();
      return hash.call();
    }, false);
  }

  int pending() {
    return pending;
  }

  ChatStatus.Hashes status() {
    return new ChatStatus.Hashes(pending, peak, max, run.get(), skipped.get(), refused);
  }
}
