package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Honest refusals (issue 19, point 6): the node's own database freezes (SIGSTOP) while a v2 and a
 * classic client send, then thaws. Every v2 send is answered within the store's timeout plus a
 * margin; a refusal (1501, 1014) is never given for a message that was stored; a commit that
 * was in flight is answered "outcome unknown" (1502), and a resend with its cmid gets the
 * original's id. The classic client, which gets no frame for an unknown outcome, resends every
 * message it sent during the freeze: each is stored once and its recipient gets it once.
 */
class DatabaseFreezeIT {
  private static final long TIMEOUT_MS = 2000;
  /** The "small margin" over the timeout: timers, the bus and a loaded 2-core machine. */
  private static final long MARGIN_MS = 1000;
  private static final long FREEZE_MS = 7000;

  /** What a v2 send was answered, and how long it took. */
  record Answer(String text, String cmid, int code, long messageId, long ms) {}

  @Test
  void sendsDuringAFreezeAreAnsweredInTimeAndNeverRefusedWhenStored() throws Exception {
    assumeTrue(PrivateMariaDb.available(), "mariadbd / mariadb-install-db not installed");
    try (PrivateMariaDb db = new PrivateMariaDb();
        TestNode node = TestNode.start(new JsonObject()
            .put("CHAT_DB_HOST", "127.0.0.1").put("CHAT_DB_PORT", db.port).put("CHAT_DB_USER", "root")
            .put("CHAT_DB_PASSWORD", "").put("CHAT_DB_NAME", "chat_freeze").put("CHAT_DB_TIMEOUT_MS", TIMEOUT_MS)
            .put("CHAT_STRANGER_MESSAGES_PER_MIN", 100_000));
        V2Client sender = V2Client.online(node.port, "fs");
        V2Client receiver = V2Client.online(node.port, "fr");
        ClassicClient classic = node.connect().register(unique("fc"));
        ClassicClient classicTo = node.connect().register(unique("fd"))) {
      classic.loginOk();
      classicTo.loginOk();
      sender.send(receiver.user, "warm", "warm v2");
      classic.chat(classicTo.id, "warm classic");
      assertThat(classicTo.next().getString("msg")).isEqualTo("warm classic");
      JsonObject warm = receiver.push();
      while (!"msg".equals(warm.getString("type"))) {
        warm = receiver.push();
      }
      assertThat(warm.getJsonObject("msg").getString("text")).isEqualTo("warm v2");

      db.freeze();
      long frozenAt = System.currentTimeMillis();
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      Map<String, String> cmidOf = new ConcurrentHashMap<>();
      Map<String, Answer> answers = new ConcurrentHashMap<>();
      // replies are timed as they arrive, by a thread of their own
      AtomicBoolean sending = new AtomicBoolean(true);
      Thread collector = new Thread(() -> {
        try {
          long end = System.currentTimeMillis() + FREEZE_MS + 10_000;
          while (System.currentTimeMillis() < end && (sending.get() || answers.size() < sentAt.size())) {
            JsonObject reply = sender.pollReply(50);
            if (reply == null) {
              continue;
            }
            String text = reply.getString("re");
            long ms = System.currentTimeMillis() - sentAt.get(text);
            answers.put(text, new Answer(text, cmidOf.get(text), reply.getBoolean("ok") ? 0 : reply.getInteger("code"),
                reply.getLong("messageId", -1L), ms));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "freeze-replies");
      collector.start();
      List<String> classicTexts = new ArrayList<>();
      for (int i = 0; System.currentTimeMillis() - frozenAt < FREEZE_MS - TIMEOUT_MS - MARGIN_MS; i++) {
        String text = "v2 frozen " + i;
        cmidOf.put(text, "c" + i);
        sentAt.put(text, System.currentTimeMillis());
        sender.sendRaw(send(receiver.user, "c" + i, text).put("id", text).encode());
        String classicText = "classic frozen " + i;
        classicTexts.add(classicText);
        classic.chat(classicTo.id, classicText);
        Thread.sleep(150);
      }
      sending.set(false);
      collector.join();
      System.out.printf("database freeze: %d of %d v2 sends answered while frozen, slowest %d ms%n", answers.size(), sentAt.size(),
          answers.values().stream().mapToLong(Answer::ms).max().orElse(0));
      assertThat(answers.keySet()).as("every v2 send answered").containsExactlyInAnyOrderElementsOf(sentAt.keySet());
      Thread.sleep(Math.max(0, FREEZE_MS - (System.currentTimeMillis() - frozenAt)));
      db.thaw();
      Thread.sleep(3000); // late commits land and are delivered

      List<JsonObject> classicFrames = classic.drain(500);
      // what the classic sender would do: it cannot know, so it sends each again
      for (String text : classicTexts) {
        classic.chat(classicTo.id, text);
      }
      Map<String, Long> resentIds = new HashMap<>();
      Map<String, Boolean> resentDuplicate = new HashMap<>();
      for (Answer a : answers.values()) {
        if (a.code() != 0) {
          JsonObject again = sender.call(send(receiver.user, a.cmid(), a.text()));
          assertThat(again.getBoolean("ok")).as("resend of %s: %s", a, again).isTrue();
          resentIds.put(a.text(), again.getLong("messageId"));
          resentDuplicate.put(a.text(), again.getBoolean("duplicate"));
        }
      }
      Thread.sleep(2000);
      List<JsonObject> classicAfter = classic.drain(200);

      Map<String, Integer> v2Received = new HashMap<>();
      JsonObject push;
      while ((push = receiver.pollPush(500)) != null) {
        if ("msg".equals(push.getString("type"))) {
          v2Received.merge(push.getJsonObject("msg").getString("text"), 1, Integer::sum);
        }
      }
      Map<String, Integer> classicReceived = new HashMap<>();
      classicTo.drain(500).stream().filter(f -> f.getInteger("msgid") == 6)
          .forEach(f -> classicReceived.merge(f.getString("msg"), 1, Integer::sum));

      Map<Integer, Integer> byCode = new TreeMap<>();
      new TreeMap<>(answers).values().forEach(a -> byCode.merge(a.code(), 1, Integer::sum));
      long maxMs = answers.values().stream().mapToLong(Answer::ms).max().orElse(0);
      long refusedYetStored = 0;
      long unknownResendsMatching = 0;
      for (Answer a : answers.values()) {
        long stored = db.number("chat_freeze", "SELECT COUNT(*) FROM messages WHERE body = ?", a.text());
        assertThat(stored).as("%s stored once", a.text()).isEqualTo(1);
        if (a.code() == 1501 || a.code() == 1014) {
          refusedYetStored += resentDuplicate.get(a.text()) ? 1 : 0;
        }
        if (a.code() == 1502) {
          long id = db.number("chat_freeze", "SELECT id FROM messages WHERE body = ?", a.text());
          assertThat(resentIds.get(a.text())).as("the resend of %s gets the original's id", a.text()).isEqualTo(id);
          unknownResendsMatching++;
        }
      }
      int classicDuplicates = 0;
      for (String text : classicTexts) {
        classicDuplicates += (int) Math.max(0, db.number("chat_freeze", "SELECT COUNT(*) FROM messages WHERE body = ?", text) - 1);
      }
      long classicErrors = classicFrames.stream().filter(f -> f.getInteger("msgid") == 99).count();
      int v2Duplicates = v2Received.values().stream().mapToInt(n -> n - 1).sum();
      int classicReceivedDuplicates = classicReceived.values().stream().mapToInt(n -> n - 1).sum();
      System.out.printf("database freeze: %d v2 sends answered %s, slowest %d ms (timeout %d ms); %d unknown resent with the"
              + " original id; refused yet stored %d; %d classic sends (%d error frames %s), stored twice %d; received: v2 %d"
              + " (%d duplicates), classic %d (%d duplicates)%n",
          answers.size(), byCode, maxMs, TIMEOUT_MS, unknownResendsMatching, refusedYetStored, classicTexts.size(),
          classicErrors, classicFrames.stream().map(f -> f.getInteger("errno")).toList(), classicDuplicates, v2Received.size(),
          v2Duplicates, classicReceived.size(), classicReceivedDuplicates);

      assertThat(maxMs).as("every send answered within the timeout and a margin").isLessThanOrEqualTo(TIMEOUT_MS + MARGIN_MS);
      assertThat(byCode.keySet()).as("answers by code").isSubsetOf(0, 1501, 1014, 1502).contains(1502);
      assertThat(refusedYetStored).as("refused (1501, 1014) yet stored").isZero();
      assertThat(classicFrames).as("classic frames while frozen: refusals only")
          .allSatisfy(f -> assertThat(f.getInteger("errno")).isIn(1501, 1014));
      assertThat(classicAfter).as("a classic resend is never refused once the database is back").isEmpty();
      assertThat(classicDuplicates).as("classic texts stored twice").isZero();
      for (String text : classicTexts) {
        assertThat(classicReceived.get(text)).as("classic %s received once", text).isEqualTo(1);
      }
      for (Answer a : answers.values()) {
        assertThat(v2Received.get(a.text())).as("v2 %s received once", a.text()).isEqualTo(1);
      }
    }
  }

  private static JsonObject send(int to, String cmid, String text) {
    return new JsonObject().put("type", "send").put("to", new JsonObject().put("user", to)).put("cmid", cmid).put("text", text);
  }
}
