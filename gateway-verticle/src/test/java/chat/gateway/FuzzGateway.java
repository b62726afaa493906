package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.DeliveryBatch;
import chat.protocol.ErrorCode;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.ConversationList;
import chat.protocol.bus.Done;
import chat.protocol.bus.EpochRead;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.Profile;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.Register;
import chat.protocol.bus.StoreMessage;
import chat.protocol.bus.TypingSignal;
import chat.protocol.GroupRole;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway without sockets for the fuzz tests: one event loop, chat and the store answered at
 * once by stubs (which fail the requests a fuzz input picks, with a stable code), and sessions over
 * links the test drives. Uncaught exceptions of the event loop are collected, so a test can say
 * none escaped. Shared by all inputs of a JVM: the state that must not leak from one input to the
 * next (sessions, connection counts, byte budgets) is checked empty after each.
 */
final class FuzzGateway {
  static final String IP = "10.0.0.1";
  /** {@code -Dfuzz.trace=true}: each test prints what it sends and what was written, to check what a seed does. */
  static final boolean TRACE = Boolean.getBoolean("fuzz.trace");
  /** The user the stub grants a password or token login for; any other is refused. */
  static final int MAX_KNOWN_USER = 1000;
  private static final ErrorCode[] FAILURES = {
      ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED, ErrorCode.LIMIT_REACHED,
      ErrorCode.BAD_FIELD, ErrorCode.INVALID_VALUE, ErrorCode.OVERLOADED, ErrorCode.UNAVAILABLE};

  private static FuzzGateway shared;

  final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  final Context ctx = vertx.getOrCreateContext();
  final GatewayOptions options;
  final ConnectionGuard guard;
  final Sessions sessions;
  final Admission admission;
  final List<Throwable> escaped = Collections.synchronizedList(new ArrayList<>());
  /** What the stubs were asked during the current input (event loop only). */
  final List<Object> asked = new ArrayList<>();
  /** Bit k set: the k-th bus request of the input (k < 16) fails with {@link #failWith}. */
  int failMask;
  ErrorCode failWith = ErrorCode.NOT_FOUND;
  /** The user chat granted a login to during the current input, or 0. */
  int granted;

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
      vertx.eventBus().consumer(Addresses.CHAT, this::chat);
      vertx.eventBus().consumer(Addresses.STORE, this::store);
      vertx.eventBus().consumer(Addresses.STORE_MESSAGE, this::store);
      return new Sessions(marks -> Future.succeededFuture(), (ms, action) -> vertx.setTimer(Math.max(1, ms), id -> action.run()),
          NodeLogins.of(vertx), GatewayMetrics.NONE);
    });
    admission = new Admission(guard, sessions);
  }

  /** Starts an input: the stubs' plan for it, chosen by the input. */
  void begin(int failMask, int failCode) {
    on(() -> {
      asked.clear();
      granted = 0;
      this.failMask = failMask;
      this.failWith = FAILURES[Math.floorMod(failCode, FAILURES.length)];
      return null;
    });
    escaped.clear();
    inputOpen = true;
  }

  /** A session over {@code link}, admitted as the gateway admits one. */
  Session open(Link link) {
    return on(() -> {
      assertThat(admission.admit(IP)).isEqualTo(ConnectionGuard.Refusal.NONE);
      return new Session(link, vertx, options, "fuzz-gw", sessions, guard, IP);
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

  private boolean fails() {
    int k = asked.size() - 1;
    return k < 16 && (failMask & (1 << k)) != 0;
  }

  /** The acting user of a request must be the one chat granted the login to, never one the client named. */
  private void actingUser(int user) {
    if (user != granted) {
      escaped.add(new AssertionError("a request acts as user " + user + ", the login is " + granted));
    }
  }

  private void chat(Message<Object> msg) {
    Object r = msg.body();
    asked.add(r);
    if (r instanceof chat.protocol.bus.SessionEnded) {
      msg.reply(Done.DONE);
      return;
    }
    if (fails()) {
      msg.fail(failWith.code(), "refused by the fuzz plan");
      return;
    }
    Object reply;
    if (r instanceof Login l) {
      reply = login(l);
    } else if (r instanceof Register) {
      reply = new Register.Registered(42);
    } else if (r instanceof PasswordChange p) {
      actingUser(p.user());
      reply = new PasswordChange.Issued("7.new-token", "2030-01-01T00:00:00Z");
    } else if (r instanceof FriendChange f) {
      actingUser(f.user());
      reply = new FriendChange.Result(FriendChange.Outcome.REQUESTED);
    } else if (r instanceof GroupCreate g) {
      actingUser(g.user());
      reply = new GroupCreate.Created(9);
    } else {
      if (r instanceof GroupJoin g) {
        actingUser(g.user());
      } else if (r instanceof GroupAction g) {
        actingUser(g.user());
      } else if (r instanceof ReadUpTo g) {
        actingUser(g.user());
      } else if (r instanceof TypingSignal g) {
        actingUser(g.user());
      }
      reply = Done.DONE; // logout, receipts
    }
    if (reply == null) {
      msg.fail(ErrorCode.BAD_CREDENTIALS.code(), "unknown user");
    } else {
      msg.reply(reply);
    }
  }

  private LoginSnapshot login(Login l) {
    if (l.user() < 1 || l.user() > MAX_KNOWN_USER) {
      return null;
    }
    granted = l.user();
    InboxPage.Page offline = new InboxPage.Page(List.of(), 0, false, "e1");
    List<GroupView> groups = List.of(new GroupView(9, "g", "", List.of(new GroupView.Member(l.user(), "u", GroupRole.OWNER, true))));
    return new LoginSnapshot(l.user(), "u" + l.user(), List.of(), List.of(), List.of(), groups, offline, List.of(),
        l.issueToken() ? l.user() + ".token" : null, l.issueToken() ? "2030-01-01T00:00:00Z" : null);
  }

  private void store(Message<Object> msg) {
    Object r = msg.body();
    asked.add(r);
    if (fails()) {
      msg.fail(failWith.code(), "refused by the fuzz plan");
      return;
    }
    Object reply = null;
    if (r instanceof EpochRead) {
      reply = new EpochRead.Epoch("e1");
    } else if (r instanceof InboxPage p) {
      actingUser(p.user());
      reply = new InboxPage.Page(List.of(), p.after(), false, "e1");
    } else if (r instanceof HistoryPage h) {
      actingUser(h.user());
      reply = new HistoryPage.Page(List.of(), false);
    } else if (r instanceof ConversationList c) {
      actingUser(c.user());
      reply = new ConversationList.Result(List.of());
    } else if (r instanceof FriendLists f) {
      actingUser(f.user());
      reply = new FriendLists.Lists(List.of(), List.of(), List.of(), List.of());
    } else if (r instanceof GroupInfo g) {
      actingUser(g.user());
      reply = new GroupInfo.Info("g", "", List.of(new GroupView.Member(g.user(), "u", GroupRole.MEMBER, true)));
    } else if (r instanceof GroupList g) {
      actingUser(g.user());
      reply = new GroupList.Groups(List.of());
    } else if (r instanceof Profile p) {
      reply = new Profile.Found(5, p.name());
    } else if (r instanceof StoreMessage m) {
      actingUser(m.from());
      reply = new StoreMessage.Stored(1000 + asked.size(), LocalDateTime.of(2026, 1, 1, 0, 0), false,
          List.of(new StoreMessage.Target(m.from(), asked.size())));
    }
    if (reply == null) {
      msg.fail(ErrorCode.NOT_FOUND.code(), "not stubbed");
    } else {
      msg.reply(reply);
    }
  }
}
