package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Password guessing and login floods against a real node: guesses on one account are refused
 * without bcrypt once it backs off, the bcrypt queue stays within its bound, and other users
 * log in meanwhile. Small windows and a small queue keep it fast. The gateway sends no client
 * address yet, so per-address limits are covered by LoginGuardTest only.
 */
class LoginAbuseIT {
  static final int QUEUE = 4;
  static final String INVALID = "id or password is invalid!";
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        // slow enough that concurrent logins overlap in the queue
        .put("CHAT_BCRYPT_COST", 10)
        .put("CHAT_HASH_QUEUE", QUEUE)
        .put("CHAT_LOGIN_FREE_FAILURES", 3)
        .put("CHAT_LOGIN_BACKOFF_MS", 200)
        .put("CHAT_LOGIN_BACKOFF_MAX_MS", 800));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  static JsonObject hashes() throws Exception {
    return StatusJson.of(Ask.chat(node, new chat.protocol.bus.ChatStatus())).getJsonObject("hashes");
  }

  @Test
  void guessesBackOffWithoutBcryptWhileOthersLogIn() throws Exception {
    ClassicClient victim = node.connect().register(unique("victim"));
    List<ClassicClient> users = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      users.add(node.connect().register(unique("user")));
    }
    long hashesBefore = hashes().getLong("run");

    AtomicBoolean attacking = new AtomicBoolean(true);
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger checked = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> attackers = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      attackers.add(pool.submit(() -> {
        try (ClassicClient evil = node.connect()) {
          evil.id = victim.id;
          evil.password = "wrong-guess";
          while (attacking.get()) {
            JsonObject ack = evil.login();
            assertThat(ack.getInteger("errno")).as("guess %s", ack).isEqualTo(1);
            attempts.incrementAndGet();
            if (INVALID.equals(ack.getString("errmsg"))) {
              checked.incrementAndGet();
            }
          }
        }
        return null;
      }));
    }
    long started = System.nanoTime();
    Thread.sleep(300);
    for (ClassicClient user : users) {
      long t0 = System.nanoTime();
      user.loginOk();
      System.out.printf("LoginAbuseIT: a real user logged in during the attack in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      Thread.sleep(400);
    }
    attacking.set(false);
    for (Future<?> f : attackers) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long attackMs = (System.nanoTime() - started) / 1_000_000;
    JsonObject after = hashes();
    long bcrypts = after.getLong("run") - hashesBefore - users.size();
    System.out.printf("LoginAbuseIT: %d guesses in %d ms, %d checked by bcrypt (%d hashes), peak queue %d%n",
        attempts.get(), attackMs, checked.get(), bcrypts, after.getInteger("peak"));

    assertThat(attempts.get()).as("guesses are answered fast, not queued").isGreaterThan(100);
    // 3 free guesses, then at most one per window of 200, 400, 800, 800... ms
    assertThat(checked.get()).isLessThanOrEqualTo(3 + (int) (attackMs / 200) + 1);
    assertThat(bcrypts).isLessThanOrEqualTo(checked.get());
    assertThat(after.getInteger("peak")).isLessThanOrEqualTo(QUEUE);

    // the owner is only delayed: once the last window (at most 800 ms) has passed, the account opens
    Thread.sleep(900);
    assertThat(victim.login().getInteger("errno")).as("the victim logs in after the window").isZero();
    for (ClassicClient c : users) {
      c.close();
    }
    victim.close();
  }

  @Test
  void aLoginFloodIsRefusedAtOnceBeyondTheQueue() throws Exception {
    JsonObject before = hashes();
    List<ClassicClient> clients = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ClassicClient c = node.connect();
      c.id = 900_000_000 + i;
      c.password = "whatever";
      clients.add(c);
    }
    for (ClassicClient c : clients) {
      c.send(new JsonObject().put("msgid", 1).put("id", c.id).put("password", c.password));
    }
    int invalid = 0;
    int busy = 0;
    for (ClassicClient c : clients) {
      JsonObject ack = c.next();
      assertThat(ack.getInteger("errno")).isEqualTo(1);
      if (INVALID.equals(ack.getString("errmsg"))) {
        invalid++;
      } else {
        busy++;
      }
      c.close();
    }
    JsonObject after = hashes();
    long refused = after.getLong("refused") - before.getLong("refused");
    System.out.printf("LoginAbuseIT: flood of 30 logins: %d checked, %d refused as overloaded, peak queue %d%n",
        invalid, refused, after.getInteger("peak"));
    assertThat(after.getInteger("peak")).isLessThanOrEqualTo(QUEUE);
    assertThat(refused).as("logins beyond the queue are refused").isPositive();
    assertThat(busy).isEqualTo((int) refused);
    assertThat(after.getInteger("pending")).isZero();

    try (ClassicClient late = node.connect()) {
      late.register(unique("late"));
      assertThat(late.login().getInteger("errno")).as("the queue drained").isZero();
    }
  }
}
