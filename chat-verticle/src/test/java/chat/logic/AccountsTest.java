package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import chat.protocol.Addresses;
import chat.protocol.bus.UserCreate;
import chat.protocol.bus.UserGet;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginLoad;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Register;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Accounts against a stub persistence on a real event bus, with a clock the test moves: the
 * deadline rules, and that a wrong password costs no bcrypt once an account backs off.
 */
@ExtendWith(VertxExtension.class)
class AccountsTest {
  static final int ID = 7;
  static final String PASSWORD = "right-password";
  static final String HASH =
      BCrypt.with(LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2A)).hashToString(4, PASSWORD.toCharArray());

  final AtomicLong now = new AtomicLong(1_000_000);
  /** When set, every hash "takes" 60 s: the clock jumps as a worker starts one. */
  final AtomicBoolean slowHashes = new AtomicBoolean();
  final AtomicInteger created = new AtomicInteger();
  Presence presence;
  HashQueue hashes;
  Accounts accounts;
  Context context;

  @BeforeEach
  void setUp(Vertx vertx) {
    BusCodec.register(vertx);
    vertx.eventBus().<Object>consumer(Addresses.STORE, m -> {
      if (m.body() instanceof UserGet) {
        m.reply(new UserGet.Account(ID, "victim", HASH));
      } else if (m.body() instanceof UserCreate) {
        m.reply(new UserCreate.Created(created.incrementAndGet()));
      } else {
        m.reply(new LoginLoad.Data(List.of(), List.of(), List.of(), List.of(), new InboxPage.Page(List.of(), 0, false, "e-1"), List.of()));
      }
    });
    java.util.function.LongSupplier clock = () -> {
      long t = now.get();
      if (slowHashes.get() && Context.isOnWorkerThread()) {
        now.addAndGet(60_000);
      }
      return t;
    };
    presence = new Presence();
    hashes = new HashQueue(vertx, 8, clock);
    LoginGuard guard = new LoginGuard(new LoginGuard.Limits(5, 20, 3, 10, 1000, 8000, 1000), clock);
    accounts = new Accounts(new Db(vertx.eventBus()), new Passwords(hashes, 4), hashes, guard,
        new TokenBook(new Db(vertx.eventBus()), Tokens.newKey(), 60_000, clock),
        new Router(presence, vertx.eventBus()), 10, clock, ms -> vertx.timer(ms).mapEmpty());
    context = vertx.getOrCreateContext();
  }

  /** Runs on the chat event loop, as the verticle does. */
  <T> Future<T> onLoop(Supplier<Future<T>> action) {
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    context.runOnContext(v -> action.get().onComplete(p));
    return p.future();
  }

  Login login(String password, String session) {
    return login(password, session, now.get() + 25_000);
  }

  Login login(String password, String session, long deadline) {
    return new Login(ID, password, null, session, null, deadline, false, false);
  }

  @Test
  void aLoginThatPassesBcryptAfterItsDeadlineDoesNotClaimTheAccount(VertxTestContext test) {
    slowHashes.set(true);
    onLoop(() -> accounts.login(login(PASSWORD, "gw.gone.1")))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.TIMEOUT);
          assertThat(hashes.status().run()).as("bcrypt did run").isEqualTo(1);
          assertThat(presence.isOnline(ID)).as("nobody holds the account").isFalse();
          slowHashes.set(false);
          onLoop(() -> accounts.login(login(PASSWORD, "gw.next.2")))
              .onComplete(test.succeeding(reply -> test.verify(() -> {
                assertThat(reply.name()).isEqualTo("victim");
                assertThat(presence.sessionOf(ID)).isEqualTo("gw.next.2");
                test.completeNow();
              })));
        })));
  }

  @Test
  void aHashWhoseClientLeftBeforeItStartedIsSkipped(VertxTestContext test) {
    Login late = login(PASSWORD, "gw.gone.1", now.get() - 1);
    onLoop(() -> accounts.login(late)).onComplete(test.failing(e -> test.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.TIMEOUT);
      assertThat(hashes.status().run()).isZero();
      assertThat(hashes.status().skipped()).isEqualTo(1);
      assertThat(presence.isOnline(ID)).isFalse();
      assertThat(hashes.pending()).isZero();
      test.completeNow();
    })));
  }

  @Test
  void theStoresEpochReachesTheSnapshot(VertxTestContext test) {
    onLoop(() -> accounts.login(login(PASSWORD, "gw.a.1"))).onComplete(test.succeeding(r -> test.verify(() -> {
      assertThat(presence.sessionOf(ID)).isEqualTo("gw.a.1");
      assertThat(r.offline().epoch()).as("the store's epoch reaches the snapshot").isEqualTo("e-1");
      test.completeNow();
    })));
  }

  @Test
  void onceTheAccountBacksOffWrongPasswordsCostNoBcrypt(VertxTestContext test) {
    Future<LoginSnapshot> chain = Future.succeededFuture();
    for (int i = 0; i < 3; i++) {
      chain = chain.transform(ar -> onLoop(() -> accounts.login(login("wrong", "gw.x.1"))));
    }
    chain
        .transform(ar -> {
          assertThat(Replies.codeOf(ar.cause())).isEqualTo(ErrorCode.BAD_CREDENTIALS);
          return onLoop(() -> accounts.login(login(PASSWORD, "gw.x.2")));
        })
        .onComplete(test.failing(e -> test.verify(() -> {
          assertThat(Replies.codeOf(e)).as("even the right password waits out the window").isEqualTo(ErrorCode.RATE_LIMITED);
          assertThat(hashes.status().run()).isEqualTo(3);
          now.addAndGet(1000);
          onLoop(() -> accounts.login(login(PASSWORD, "gw.x.3"))).onComplete(test.succeeding(r -> test.verify(() -> {
            assertThat(presence.sessionOf(ID)).isEqualTo("gw.x.3");
            test.completeNow();
          })));
        })));
  }

  @Test
  void aRegistrationPastItsDeadlineTakesNoName(VertxTestContext test) {
    slowHashes.set(true);
    Register req = new Register("late", "pw", null, now.get() + 25_000);
    onLoop(() -> accounts.register(req)).onComplete(test.failing(e -> test.verify(() -> {
      assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.TIMEOUT);
      assertThat(created).hasValue(0);
      test.completeNow();
    })));
  }

  @Test
  void registrationsFromOneAddressAreRateLimited(VertxTestContext test) {
    Future<Register.Registered> chain = Future.succeededFuture();
    for (int i = 0; i < 20; i++) {
      String name = "user" + i;
      chain = chain.compose(r -> onLoop(() -> accounts.register(new Register(name, "pw", "10.0.0.9", now.get() + 25_000))));
    }
    chain
        .compose(r -> onLoop(() -> accounts.register(new Register("one-more", "pw", "10.0.0.9", now.get() + 25_000))))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertThat(Replies.codeOf(e)).isEqualTo(ErrorCode.RATE_LIMITED);
          assertThat(created).hasValue(20);
          test.completeNow();
        })));
  }
}
