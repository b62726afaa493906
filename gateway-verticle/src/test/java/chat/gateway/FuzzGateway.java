package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.DeliveryBatch;
import chat.protocol.ErrorCode;
import chat.protocol.bus.BusCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway without sockets for the fuzz tests: one event loop, chat and the store answered at
 * once by {@link FuzzStubs}, and sessions over
 * links the test drives. Uncaught exceptions of the event loop are collected, so a test can say
 * none escaped. Shared by all inputs of a JVM: the state that must not leak from one input to the
 * next (sessions, connection counts, byte budgets) is checked empty after each.
 */
final class FuzzGateway {
  static final String IP = "10.0.0.1";
  /** {@code -Dfuzz.trace=true}: each test prints what it sends and what was written, to check what a seed does. */
  static final boolean TRACE = Boolean.getBoolean("fuzz.trace");

  private static FuzzGateway shared;

  final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  final Context ctx = vertx.getOrCreateContext();
  final GatewayOptions options;
  final ConnectionGuard guard;
  final Sessions sessions;
  final Admission admission;
  final List<Throwable> escaped = Collections.synchronizedList(new ArrayList<>());
  private final FuzzStubs stubs = new FuzzStubs(escaped);

  /** An input began and has not been found clean: a failed one leaves its session behind, so the next input gets a fresh gateway. */
  private volatile boolean inputOpen;

  static synchronized FuzzGateway get() {
    if (shared != null && shared.inputOpen) {
      closeShared();
    }
    if (shared == null) {
      shared = new FuzzGateway();
    }
    return shared;
  }

  /** Closes the shared gateway (a test class's {@code @AfterAll}); the next {@link #get} starts another. */
  static synchronized void closeShared() {
    if (shared != null) {
      shared.vertx.close();
      shared = null;
    }
  }

  private FuzzGateway() {
    options = GatewayOptions.from(new JsonObject()
        .put("maxFrameBytes", 512).put("maxDepth", 8).put("maxInFlight", 8)
        .put("frameRate", 1000.0).put("frameBurst", 24).put("messageRate", 1000.0).put("messageBurst", 6)
        .put("strikes", 4).put("banMs", 0L).put("outboundBytes", 64 * 1024)
        .put("connectRatePerIp", 1_000_000.0).put("connectBurstPerIp", 1_000_000));
    guard = new ConnectionGuard(options, System::nanoTime);
    vertx.exceptionHandler(escaped::add);
    sessions = on(() -> {
      DeliveryBatch.registerCodec(vertx);
      BusCodec.register(vertx);
      vertx.eventBus().consumer(Addresses.CHAT, stubs::chat);
      vertx.eventBus().consumer(Addresses.STORE, stubs::store);
      vertx.eventBus().consumer(Addresses.STORE_MESSAGE, stubs::store);
      return new Sessions(marks -> Future.succeededFuture(), (ms, action) -> vertx.setTimer(Math.max(1, ms), id -> action.run()),
          NodeLogins.of(vertx), GatewayMetrics.NONE);
    });
    admission = new Admission(guard, sessions);
  }

  /** Starts an input: the stubs' plan for it, chosen by the input. */
  void begin(int failMask, int failCode) {
    on(() -> {
      stubs.begin(failMask, failCode);
      return null;
    });
    escaped.clear();
    inputOpen = true;
  }

  /** A session over {@code link}, admitted as the gateway admits one. */
  Session open(Link link) {
    return on(() -> {
      assertThat(admission.admit(IP)).isEqualTo(ConnectionGuard.Refusal.NONE);
      return new Session(link, vertx, options, "fuzz-gw", sessions, guard, new ConnectionTrail(new ConnectionLog(0, 0), 1, IP, "tcp"));
    });
  }

  /** Runs {@code task} on the event loop and waits for it. */
  <T> T on(java.util.concurrent.Callable<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      try {
        done.complete(task.call());
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    try {
      return done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("event loop task failed or hung", e);
    }
  }

  /** Lets the event loop run what the last steps queued (bus requests and their replies are a few turns each). */
  void settle(int turns) {
    for (int i = 0; i < turns; i++) {
      on(() -> null);
    }
  }

  static void trace(String what, Object detail) {
    if (TRACE) {
      System.err.println(what + " " + detail);
    }
  }

  /** After an input whose connection is closed: nothing escaped, and nothing of it is left behind. */
  void assertClean() {
    settle(8);
    assertThat(escaped).as("exceptions that escaped to the event loop").isEmpty();
    on(() -> {
      assertThat(sessions.size()).as("sessions still registered").isZero();
      assertThat(guard.connections()).as("connections still counted").isZero();
      assertThat(guard.inboundBytes()).as("unfinished inbound bytes still counted").isZero();
      assertThat(guard.outboundBytes()).as("unsent outbound bytes still counted").isZero();
      return null;
    });
    inputOpen = false;
  }

  /** An error frame's code is one of ours, and never INTERNAL: the stubs never fail that way, so INTERNAL is a bug. */
  static void assertStableError(JsonObject frame) {
    if (Boolean.FALSE.equals(frame.getValue("ok"))) {
      Object code = frame.getValue("code");
      assertThat(code).as("error code of %s", frame).isInstanceOf(Integer.class);
      ErrorCode known = ErrorCode.fromCode((Integer) code);
      assertThat(known.code()).as("a code of ErrorCode in %s", frame).isEqualTo(code);
      assertThat(known).as("error of %s", frame).isNotEqualTo(ErrorCode.INTERNAL);
    }
  }
}
