package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The node's own database freezes (SIGSTOP), thaws, dies (SIGKILL) and comes back, while one
 * user sends to another: every message is either stored and delivered, or refused with a code
 * within seconds; /health follows the database; the node recovers without a restart.
 */
class DatabaseOutageIT {
  private static final long TIMEOUT_MS = 2000;
  /** Smaller than what arrives during one timeout, so the bound is reached while frozen. */
  private static final int STORE_QUEUE = 40;

  /** What the sender was told about one message. */
  record Outcome(long sentAt, long doneAt, int code) {
    boolean stored() {
      return code == 0;
    }
  }

  @Test
  void messagesAreStoredOrRefusedThroughAFreezeAndACrash() throws Exception {
    assumeTrue(PrivateMariaDb.available(), "mariadbd / mariadb-install-db not installed");
    long began = System.currentTimeMillis();
    try (PrivateMariaDb db = new PrivateMariaDb();
        TestNode node = TestNode.start(new JsonObject()
            .put("CHAT_DB_HOST", "127.0.0.1").put("CHAT_DB_PORT", db.port).put("CHAT_DB_USER", "root")
            .put("CHAT_DB_PASSWORD", "").put("CHAT_DB_NAME", "chat_outage").put("CHAT_DB_TIMEOUT_MS", TIMEOUT_MS)
            .put("CHAT_STORE_QUEUE", STORE_QUEUE))) {
      ClassicClient a = node.connect().register(unique("da"));
      ClassicClient b = node.connect().register(unique("db"));
      b.loginOk();
      ClassicClient c = node.connect().register(unique("dc"));
      c.loginOk();
      assertThat(Health.of(node).getString("db")).isEqualTo("up");

      Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
      Set<String> pending = ConcurrentHashMap.newKeySet();
      AtomicBoolean sending = new AtomicBoolean(true);
      Thread sender = new Thread(() -> {
        for (int i = 0; sending.get(); i++) {
          String msg = "m" + i;
          long sentAt = System.currentTimeMillis();
          pending.add(msg);
          Ask.send(node.vertx.eventBus(), a.id, chat.protocol.bus.Peer.user(b.id), msg, null)
              .onComplete(ar -> {
                int code = ar.succeeded() ? 0 : codeOf(ar.cause());
                outcomes.put(msg, new Outcome(sentAt, System.currentTimeMillis(), code));
                pending.remove(msg);
              });
          sleep(20);
        }
      }, "outage-sender");
      sender.start();
      Thread.sleep(1500);

      long frozenAt = System.currentTimeMillis();
      db.freeze();
      Poll.until("health: db down while frozen", () -> "down".equals(Health.of(node).getString("db")));
      long healthDownMs = System.currentTimeMillis() - frozenAt;
      JsonObject frozen = Health.of(node);
      Thread.sleep(Math.max(0, 4000 - (System.currentTimeMillis() - frozenAt)));
      db.thaw();
      Poll.until("health: db up after thaw", () -> "up".equals(Health.of(node).getString("db")));
      Thread.sleep(1500);

      long killedAt = System.currentTimeMillis();
      db.kill();
      Poll.until("health: db down after kill", () -> "down".equals(Health.of(node).getString("db")));
      // a classic client is told its message was not stored (classic clients ignore msgid 99)
      c.chat(b.id, "classic-during-outage");
      JsonObject refusal = c.next();
      assertThat(refusal.getInteger("msgid")).isEqualTo(99);
      assertThat(refusal.getInteger("errno")).isIn(1501, 1014);
      c.close();
      Thread.sleep(2500);
      db.start();
      long restartedAt = System.currentTimeMillis();
      Poll.until("health: db up after restart", () -> "up".equals(Health.of(node).getString("db")));
      long healthUpMs = System.currentTimeMillis() - restartedAt;
      Poll.until("a message stored after the restart", () -> outcomes.values().stream()
          .anyMatch(o -> o.stored() && o.sentAt() > restartedAt));
      long recoveredMs = System.currentTimeMillis() - restartedAt;
      Thread.sleep(500);
      sending.set(false);
      sender.join();
      Poll.until("every request answered", pending::isEmpty);

      // what reached b: live frames, plus whatever a fresh login still finds undelivered
      List<String> received = new ArrayList<>();
      b.drain(1500).stream().filter(f -> f.getInteger("msgid") == 6).forEach(f -> received.add(f.getString("msg")));
      b.close();
      try (ClassicClient again = node.connect()) {
        again.id = b.id;
        again.password = b.password;
        JsonObject ack = again.loginOk();
        ClassicClient.decoded(ack, "offlinemsg").forEach(f -> received.add(f.getString("msg")));
        again.drain(1500).stream().filter(f -> f.getInteger("msgid") == 6).forEach(f -> received.add(f.getString("msg")));
      }

      Map<Integer, Integer> byCode = new HashMap<>();
      outcomes.values().forEach(o -> byCode.merge(o.code(), 1, Integer::sum));
      Set<String> storedMsgs = new HashSet<>();
      Set<String> refusedMsgs = new HashSet<>();
      // 1502, outcome unknown (a commit in flight when the database froze), is neither: it may be stored
      outcomes.forEach((m, o) -> {
        if (o.stored() || o.code() != ErrorCode.OUTCOME_UNKNOWN.code()) {
          (o.stored() ? storedMsgs : refusedMsgs).add(m);
        }
      });
      long slowestRefusal = outcomes.values().stream().filter(o -> !o.stored())
          .mapToLong(o -> o.doneAt() - o.sentAt()).max().orElse(0);
      long refusedYetStored = 0;
      for (String m : refusedMsgs) {
        refusedYetStored += db.number("chat_outage", "SELECT COUNT(*) FROM messages WHERE body = ?", m);
      }
      Set<String> receivedOnce = new HashSet<>(received);
      System.out.printf(
          "database outage: %d sent, %d stored, %d refused %s; received %d (%d duplicates); refused yet stored %d;"
              + " slowest refusal %d ms; health down %d ms after the freeze (%s), up %d ms and first stored message %d ms"
              + " after the restart (kill at +%d ms); test %d ms%n",
          outcomes.size(), storedMsgs.size(), refusedMsgs.size(), byCode, received.size(),
          received.size() - receivedOnce.size(), refusedYetStored, slowestRefusal, healthDownMs, frozen.encode(),
          healthUpMs, recoveredMs, killedAt - began, System.currentTimeMillis() - began);

      assertThat(frozen.getInteger("code")).isEqualTo(503);
      assertThat(frozen.getString("status")).isEqualTo("DEGRADED");
      assertThat(byCode.keySet()).as("outcomes by code").isSubsetOf(0, 1501, 1014, 1502).contains(0, 1501, 1014);
      assertThat(refusedMsgs).as("some messages refused during the outage").isNotEmpty();
      assertThat(receivedOnce).as("every stored message reached the recipient").containsAll(storedMsgs);
      assertThat(refusedYetStored).as("refused messages that were stored anyway").isZero();
      assertThat(slowestRefusal).as("refusals come within a few seconds").isLessThan(4 * TIMEOUT_MS);
      assertThat(Health.of(node).getInteger("code")).isEqualTo(200);
      a.close();
    }
  }

  private static int codeOf(Throwable e) {
    return e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE ? r.failureCode() : -1;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
