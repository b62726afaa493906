package chat.bench.setup;

import chat.bench.net.BenchClient;
import chat.bench.net.Connector;
import chat.bench.net.Target;
import chat.bench.util.Await;
import chat.bench.util.Batch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/** Logged-in connections for a range of pool users. */
public final class Sessions {
  private Sessions() {}

  /** Connects and logs in users {@code first..first+count-1}; fails if any of them fails. */
  public static List<BenchClient> open(
      Connector connector, UserPool pool, int first, int count, IntFunction<Target> targetOf, int concurrency) {
    return open(connector, pool, first, count, targetOf, concurrency, false);
  }

  /** As above; with {@code allowFailures} the users that did get in are returned. */
  public static List<BenchClient> open(
      Connector connector, UserPool pool, int first, int count, IntFunction<Target> targetOf, int concurrency,
      boolean allowFailures) {
    AtomicReferenceArray<BenchClient> clients = new AtomicReferenceArray<>(count);
    long t0 = System.nanoTime();
    Batch.Outcome out =
        Await.result(
            Batch.run(count, concurrency, k -> login(connector, pool.user(first + k), targetOf.apply(first + k))
                .map(c -> { clients.set(k, c); return c; })),
            3600);
    List<BenchClient> list = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      if (clients.get(k) != null) {
        list.add(clients.get(k));
      }
    }
    if (out.failed() > 0 && allowFailures) {
      System.out.printf("%d of %d logins failed, first: %s%n", out.failed(), count, out.firstError());
    } else if (out.failed() > 0) {
      closeAll(list);
      throw new IllegalStateException(out.failed() + " of " + count + " logins failed, first: " + out.firstError());
    }
    System.out.printf("logged in %d users in %.1f s%n", list.size(), (System.nanoTime() - t0) / 1e9);
    return list;
  }

  public static Future<BenchClient> login(Connector connector, UserPool.User u, Target target) {
    return login(connector, u, target, 10);
  }

  /**
   * Retries "already online" (errno 2) a few times: a previous run's connection of this user
   * may have closed a moment ago and the server signs it off asynchronously.
   */
  private static Future<BenchClient> login(Connector connector, UserPool.User u, Target target, int attempts) {
    return attempt(connector, u, target).recover(e -> {
      if (attempts <= 1 || !String.valueOf(e.getMessage()).endsWith("errno 2")) {
        return Future.failedFuture(e);
      }
      Promise<Void> pause = Promise.promise();
      connector.vertx().setTimer(300, id -> pause.complete());
      return pause.future().compose(v -> login(connector, u, target, attempts - 1));
    });
  }

  private static Future<BenchClient> attempt(Connector connector, UserPool.User u, Target target) {
    return connector
        .connect(target, u.index())
        .compose(
            c ->
                c.login(u.id(), u.password())
                    .transform(
                        ar -> {
                          if (ar.succeeded() && ar.result().ok()) {
                            c.id = u.id();
                            c.name = u.name();
                            c.index = u.index();
                            return Future.succeededFuture(c);
                          }
                          c.close();
                          String why = ar.failed() ? ar.cause().getMessage() : "errno " + ar.result().errno();
                          return Future.failedFuture("login of " + u.name() + ": " + why);
                        }));
  }

  public static void closeAll(List<BenchClient> clients) {
    List<Future<Void>> closing = new ArrayList<>();
    for (BenchClient c : clients) {
      closing.add(c.close());
    }
    try {
      Await.result(Future.join(closing), 60);
    } catch (IllegalStateException ignored) {
      // already closed by the server: nothing left to release
    }
  }
}
