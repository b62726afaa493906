package chat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Draining one node of three under traffic (what SIGTERM does): its v2 clients are told to
 * reconnect, move to the other nodes, resend what got no reply (same cmid) and sync what they
 * missed. Every message a sender was told is stored reaches its recipient once: lost 0,
 * duplicated 0.
 */
class DrainIT {
  static final long DRAIN_MS = 5000;
  static final int PAIRS = 4;

  final AtomicBoolean sending = new AtomicBoolean(true);
  /** Cleared after the senders stopped: the recipients then sync what is left and stop. */
  final AtomicBoolean running = new AtomicBoolean(true);
  final AtomicInteger reconnectPushes = new AtomicInteger();
  final AtomicInteger moves = new AtomicInteger();
  final Set<String> sent = ConcurrentHashMap.newKeySet();
  /** Per recipient: text -> the seqs it came under. */
  final Map<Integer, Map<String, Set<Long>>> seen = new ConcurrentHashMap<>();
  int[] survivors;

  /** Closes {@code c} and logs {@code who} in on a surviving node, retrying while the old login is released. */
  V2Client move(V2Client c, V2Client who) throws Exception {
    c.close();
    moves.incrementAndGet();
    int port = survivors[ThreadLocalRandomHolder.next(survivors.length)];
    return V2Client.loginWhenFree(port, who);
  }

  static final class ThreadLocalRandomHolder {
    static int next(int n) {
      return java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
    }
  }

  /** True when a reconnect push has come (other pushes are dropped). */
  boolean toldToMove(V2Client c) throws InterruptedException {
    JsonObject p;
    while ((p = c.pollPush(0)) != null) {
      if ("reconnect".equals(p.getString("type"))) {
        reconnectPushes.incrementAndGet();
        return true;
      }
    }
    return false;
  }

  void sender(V2Client who, V2Client start, int to, int index) {
    V2Client c = start;
    try {
      for (int k = 0; sending.get(); k++) {
        String cmid = "d" + index + "-" + k;
        JsonObject req = new JsonObject().put("type", "send").put("to", new JsonObject().put("user", to)).put("cmid", cmid).put("text", cmid);
        while (true) {
          if (c.closed || toldToMove(c)) {
            c = move(c, who);
          }
          JsonObject r = c.tryCall(req, 3000);
          if (r != null && r.getBoolean("ok", false)) {
            sent.add(cmid);
            break;
          }
          assertThat(r).as("a send is refused only by a node going away: %s", r).isNull();
          c = move(c, who); // no reply: the node went; the resend with the same cmid is stored once
        }
        Thread.sleep(5);
      }
      c.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void receiver(V2Client who, V2Client start) {
    Map<String, Set<Long>> mine = seen.computeIfAbsent(who.user, u -> new ConcurrentHashMap<>());
    V2Client c = start;
    long last = 0;
    try {
      while (running.get()) {
        JsonObject p = c.pollPush(50);
        if (p == null) {
          if (c.closed) {
            c = move(c, who);
            last = sync(c, mine, last);
          }
          continue;
        }
        if ("reconnect".equals(p.getString("type"))) {
          reconnectPushes.incrementAndGet();
          c = move(c, who);
          last = sync(c, mine, last);
        } else if ("msg".equals(p.getString("type")) && p.getLong("seq") > last) {
          last = p.getLong("seq");
          mine.computeIfAbsent(p.getJsonObject("msg").getString("text"), t -> ConcurrentHashMap.newKeySet()).add(last);
          c.ackAsync(last);
        }
      }
      sync(c, mine, last);
      c.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Everything after {@code last}, as a client resumes; the new last. */
  static long sync(V2Client c, Map<String, Set<Long>> mine, long last) throws Exception {
    while (true) {
      JsonObject r = c.ok(new JsonObject().put("type", "sync").put("after", last).put("limit", 100));
      JsonArray msgs = r.getJsonArray("msgs");
      for (int i = 0; i < msgs.size(); i++) {
        JsonObject e = msgs.getJsonObject(i);
        if (e.getLong("seq") > last) {
          last = e.getLong("seq");
          mine.computeIfAbsent(e.getJsonObject("msg").getString("text"), t -> ConcurrentHashMap.newKeySet()).add(last);
        }
      }
      if (!r.getBoolean("more", false)) {
        if (last > 0) {
          c.ok(new JsonObject().put("type", "ack").put("seq", last));
        }
        return last;
      }
    }
  }

  @Test
  void drainingOneNodeOfThreeUnderTrafficLosesAndDuplicatesNothing() throws Exception {
    assumeTrue(TestRedis.available(), "redis-server not installed");
    JsonObject common = new JsonObject().put("CHAT_DRAIN_MS", DRAIN_MS);
    try (TestRedis redis = new TestRedis();
        TestNode n1 = TestNode.start(common.copy().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "drain1"));
        TestNode n2 = TestNode.start(common.copy().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "drain2"));
        TestNode n3 = TestNode.start(common.copy().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "drain3"))) {
      Health.awaitRedis(n1, "up");
      Health.awaitRedis(n2, "up");
      Health.awaitRedis(n3, "up");
      survivors = new int[] {n1.port, n3.port};
      List<Thread> threads = new ArrayList<>();
      List<Thread> sendingThreads = new ArrayList<>();
      List<Integer> senders = new ArrayList<>();
      for (int i = 0; i < PAIRS; i++) {
        // half the senders and half the recipients on the node that drains
        V2Client s = V2Client.online(i % 2 == 0 ? n2.port : n1.port, "ds");
        V2Client r = V2Client.online(i % 2 == 0 ? n3.port : n2.port, "dr");
        int index = i;
        senders.add(s.user);
        threads.add(new Thread(() -> receiver(r, r), "drain-receiver-" + i));
        Thread st = new Thread(() -> sender(s, s, r.user, index), "drain-sender-" + i);
        threads.add(st);
        sendingThreads.add(st);
      }
      threads.forEach(Thread::start);
      Thread.sleep(1500);

      long t0 = System.currentTimeMillis();
      n2.node.stop().toCompletionStage().toCompletableFuture().get(DRAIN_MS + 10_000, TimeUnit.MILLISECONDS);
      long drainedMs = System.currentTimeMillis() - t0;
      Thread.sleep(1500);
      sending.set(false);
      for (Thread t : sendingThreads) {
        t.join(30_000);
      }
      Thread.sleep(500); // the last replies' deliveries are on their way; the recipients' final sync takes the rest
      running.set(false);
      for (Thread t : threads) {
        t.join(30_000);
        assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
      }

      int delivered = 0;
      int duplicated = 0;
      List<String> lost = new ArrayList<>();
      Map<String, Integer> recipientOf = new HashMap<>();
      for (Map<String, Set<Long>> mine : seen.values()) {
        for (Map.Entry<String, Set<Long>> e : mine.entrySet()) {
          delivered++;
          duplicated += e.getValue().size() - 1;
          recipientOf.put(e.getKey(), 1);
        }
      }
      for (String cmid : sent) {
        if (!recipientOf.containsKey(cmid)) {
          lost.add(cmid);
        }
      }
      long stored = 0;
      for (int id : senders) {
        stored += Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ?", id);
      }
      System.out.printf("drain: node drained in %d ms; %d reconnect pushes, %d moves; sent %d, stored %d, delivered %d, lost %d, duplicated %d%n",
          drainedMs, reconnectPushes.get(), moves.get(), sent.size(), stored, delivered, lost.size(), duplicated);
      assertThat(reconnectPushes.get()).as("the drained node's v2 clients were told to move").isGreaterThanOrEqualTo(PAIRS);
      assertThat(drainedMs).as("the drain ends within CHAT_DRAIN_MS").isLessThan(DRAIN_MS + 3000);
      assertThat(sent).as("traffic ran").hasSizeGreaterThan(100);
      assertThat(lost).as("lost").isEmpty();
      assertThat(duplicated).as("duplicated").isZero();
    }
  }
}
