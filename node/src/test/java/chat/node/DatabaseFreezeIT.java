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
 * Honest refusals (issue 19, point 6): the node's own database freezes (SIGSTOP) twice while a v2
 * and a classic client send, and thaws. Every v2 send is answered within the store's timeout plus
 * a margin; a refusal (1501, 1014) is never given for a message that was stored; the commit in
 * flight when the database froze (a v2 message the first time, a classic one the second) is
 * answered "outcome unknown" (v2 1502, classic no frame) and delivered once it lands; a v2 resend
 * with its cmid gets the original's id. The classic client, which cannot tell, resends every
 * message it sent while frozen: each is stored once and its recipient gets it once.
 */
class DatabaseFreezeIT {
  private static final long TIMEOUT_MS = 2000;
  /** The "small margin" over the timeout: timers, the bus and a loaded 2-core machine. */
  private static final long MARGIN_MS = 1000;
  private static final long FREEZE_MS = 7000;

  /** What a v2 send was answered, and how long it took. */
  record Answer(String text, String cmid, int code, long ms) {}

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> classicTexts = new ArrayList<>();
  private final List<JsonObject> classicFrames = new ArrayList<>();
  private PrivateMariaDb db;
  private V2Client sender;
  private V2Client receiver;
  private ClassicClient classic;
  private ClassicClient classicTo;

  @Test
  void sendsDuringAFreezeAreAnsweredInTimeAndNeverRefusedWhenStored() throws Exception {
    assumeTrue(PrivateMariaDb.available(), "mariadbd / mariadb-install-db not installed");
    try (PrivateMariaDb privateDb = new PrivateMariaDb();
        TestNode node = TestNode.start(new JsonObject()
            .put("CHAT_DB_HOST", "127.0.0.1").put("CHAT_DB_PORT", privateDb.port).put("CHAT_DB_USER", "root")
            .put("CHAT_DB_PASSWORD", "").put("CHAT_DB_NAME", "chat_freeze").put("CHAT_DB_TIMEOUT_MS", TIMEOUT_MS)
            .put("CHAT_STRANGER_MESSAGES_PER_MIN", 100_000));
        V2Client v2From = V2Client.online(node.port, "fs");
        V2Client v2To = V2Client.online(node.port, "fr");
        ClassicClient classicFrom = node.connect().register(unique("fc"));
        ClassicClient classicDest = node.connect().register(unique("fd"))) {
      db = privateDb;
      sender = v2From;
      receiver = v2To;
      classic = classicFrom;
      classicTo = classicDest;
      classic.loginOk();
      classicTo.loginOk();
      sender.send(receiver.user, "warm", "warm v2");
      classic.chat(classicTo.id, "warm classic");
      assertThat(classicTo.next().getString("msg")).isEqualTo("warm classic");
      JsonObject warm = receiver.push();
      while (!"msg".equals(warm.getString("type"))) {
        warm = receiver.push();
      }

      freezeAndSend("a", false);
      freezeAndSend("b", true);
      long classicStoredFirst = 0;
      for (String text : classicTexts) {
        classicStoredFirst += stored(text);
      }
      // what the classic sender would do: it cannot know, so it sends each again
      for (String text : classicTexts) {
        classic.chat(classicTo.id, text);
      }
      Map<String, JsonObject> resent = new HashMap<>();
      for (Answer a : new TreeMap<>(answers).values()) {
        if (a.code() != 0) {
          JsonObject again = sender.call(send(a.cmid(), a.text()));
          assertThat(again.getBoolean("ok")).as("resend of %s: %s", a, again).isTrue();
          resent.put(a.text(), again);
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
      answers.values().forEach(a -> byCode.merge(a.code(), 1, Integer::sum));
      long maxMs = answers.values().stream().mapToLong(Answer::ms).max().orElse(0);
      long refusedYetStored = 0;
      long unknownResentWithOriginalId = 0;
      for (Answer a : answers.values()) {
        assertThat(stored(a.text())).as("%s stored once", a.text()).isEqualTo(1);
        if (a.code() == 1501 || a.code() == 1014) {
          refusedYetStored += resent.get(a.text()).getBoolean("duplicate") ? 1 : 0;
        }
        if (a.code() == 1502) {
          long id = db.number("chat_freeze", "SELECT id FROM messages WHERE body = ?", a.text());
          assertThat(resent.get(a.text()).getLong("messageId")).as("the resend of %s gets the original's id", a.text()).isEqualTo(id);
          unknownResentWithOriginalId++;
        }
      }
      long classicStoredTwice = 0;
      for (String text : classicTexts) {
        classicStoredTwice += Math.max(0, stored(text) - 1);
      }
      long classicErrors = classicFrames.stream().filter(f -> f.getInteger("msgid") == 99).count();
      int v2Duplicates = v2Received.values().stream().mapToInt(n -> n - 1).sum();
      int classicDuplicates = classicReceived.values().stream().mapToInt(n -> n - 1).sum();
      System.out.printf("database freeze: %d v2 sends answered %s, slowest %d ms (timeout %d ms); %d unknown resent with the"
              + " original id; refused yet stored %d; %d classic sends, %d error frames, %d stored without a frame, stored twice"
              + " %d; received: v2 %d (%d duplicates), classic %d (%d duplicates)%n",
          answers.size(), byCode, maxMs, TIMEOUT_MS, unknownResentWithOriginalId, refusedYetStored, classicTexts.size(),
          classicErrors, classicStoredFirst, classicStoredTwice, v2Received.size(), v2Duplicates, classicReceived.size(),
          classicDuplicates);

      assertThat(maxMs).as("every send answered within the timeout and a margin").isLessThanOrEqualTo(TIMEOUT_MS + MARGIN_MS);
      assertThat(byCode.keySet()).as("answers by code").isSubsetOf(0, 1501, 1014, 1502).contains(1502);
      assertThat(refusedYetStored).as("refused (1501, 1014) yet stored").isZero();
      assertThat(classicFrames).as("classic frames while frozen: refusals only")
          .allSatisfy(f -> assertThat(f.getInteger("errno")).isIn(1501, 1014));
      assertThat(classicStoredFirst).as("classic sends stored (the one in flight) are exactly those without an error frame")
          .isPositive().isEqualTo(classicTexts.size() - classicErrors);
      assertThat(classicAfter).as("a classic resend is never refused once the database is back").isEmpty();
      assertThat(classicStoredTwice).as("classic texts stored twice").isZero();
      assertThat(classicTexts).allSatisfy(t -> assertThat(classicReceived.get(t)).as("classic %s received", t).isEqualTo(1));
      assertThat(answers.keySet()).allSatisfy(t -> assertThat(v2Received.get(t)).as("v2 %s received", t).isEqualTo(1));
    }
  }

  /**
   * One freeze: both clients send every 150 ms for a while; the first send after it (v2, or
   * classic when {@code classicFirst}) goes alone, so it is the commit in flight. Then the
   * database thaws and the late commit lands.
   */
  private void freezeAndSend(String round, boolean classicFirst) throws Exception {
    db.freeze();
    long frozenAt = System.currentTimeMillis();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    // replies are timed as they arrive, by a thread of their own
    Thread collector = new Thread(() -> {
      try {
        long end = System.currentTimeMillis() + FREEZE_MS + 10_000;
        while (System.currentTimeMillis() < end && (sending.get() || !answers.keySet().containsAll(sentAt.keySet()))) {
          JsonObject reply = sender.pollReply(50);
          if (reply != null) {
            String text = reply.getString("re");
            answers.put(text, new Answer(text, cmid(text), reply.getBoolean("ok") ? 0 : reply.getInteger("code"),
                System.currentTimeMillis() - sentAt.get(text)));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "freeze-replies");
    collector.start();
    for (int i = 0; System.currentTimeMillis() - frozenAt < FREEZE_MS - TIMEOUT_MS - MARGIN_MS; i++) {
      String v2Text = "v2 " + round + i;
      String classicText = "classic " + round + i;
      classicTexts.add(classicText);
      if (classicFirst) {
        classic.chat(classicTo.id, classicText);
        Thread.sleep(i == 0 ? 300 : 0);
      }
      sentAt.put(v2Text, System.currentTimeMillis());
      sender.sendRaw(send(cmid(v2Text), v2Text).put("id", v2Text).encode());
      if (!classicFirst) {
        Thread.sleep(i == 0 ? 300 : 0);
        classic.chat(classicTo.id, classicText);
      }
      Thread.sleep(150);
    }
    sending.set(false);
    collector.join();
    System.out.printf("database freeze %s: %d of %d v2 sends answered while frozen, slowest %d ms%n", round,
        sentAt.keySet().stream().filter(answers::containsKey).count(), sentAt.size(),
        sentAt.keySet().stream().filter(answers::containsKey).mapToLong(t -> answers.get(t).ms()).max().orElse(0));
    assertThat(answers.keySet()).as("every v2 send answered while frozen").containsAll(sentAt.keySet());
    Thread.sleep(Math.max(0, FREEZE_MS - (System.currentTimeMillis() - frozenAt)));
    db.thaw();
    Thread.sleep(3000); // the late commit lands and is delivered
    classicFrames.addAll(classic.drain(500));
  }

  private long stored(String text) throws Exception {
    return db.number("chat_freeze", "SELECT COUNT(*) FROM messages WHERE body = ?", text);
  }

  private static String cmid(String text) {
    return "c-" + text.replace(' ', '-');
  }

  private JsonObject send(String cmid, String text) {
    return new JsonObject().put("type", "send").put("to", new JsonObject().put("user", receiver.user)).put("cmid", cmid).put("text", text);
  }
}
