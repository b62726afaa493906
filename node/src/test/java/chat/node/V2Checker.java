package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The v2 checker. The guarantees under churn: agents send to each other while they drop their connections at
 * random (sometimes before the reply to a send came back), log in again, resend what was not
 * acknowledged with the same client id, and ack what they processed. At the end, per recipient:
 * the seqs are gap-free, each seq always named the same message, no message came under two seqs,
 * every message whose send was answered arrived exactly once, and each sender's messages arrived
 * in the order they were sent.
 */
final class V2Checker {
  private final int port;
  private final int agentCount;
  private final long runMs;

  V2Checker(int port, int agents, long runMs) {
    this.port = port;
    this.agentCount = agents;
    this.runMs = runMs;
  }

  /** What one agent saw and did. */
  static final class Agent {
    final V2Client identity;
    /** Received: seq -> message id, and message id -> text, as the client dedups by seq. */
    final TreeMap<Long, Long> seqs = new TreeMap<>();
    final Map<Long, String> texts = new HashMap<>();
    /** Sent and answered: text -> message id. */
    final Map<String, Long> stored = new ConcurrentHashMap<>();
    final List<String> conflicts = new ArrayList<>();
    int reconnects;
    int resends;
    long acked;

    Agent(V2Client identity) {
      this.identity = identity;
    }

    void received(JsonObject push) {
      long seq = push.getLong("seq");
      JsonObject msg = push.getJsonObject("msg");
      Long before = seqs.putIfAbsent(seq, msg.getLong("id"));
      if (before != null && !before.equals(msg.getLong("id"))) {
        conflicts.add("seq " + seq + " named " + before + " and " + msg.getLong("id"));
      }
      texts.put(msg.getLong("id"), msg.getString("text"));
    }

    /** The highest seq with nothing missing before it: what the agent has processed. */
    long contiguous() {
      long s = 0;
      while (seqs.containsKey(s + 1)) {
        s++;
      }
      return s;
    }
  }

  /**
   * Runs the agents for {@code runMs}, calling {@code chaos} (a node kill, say) once at
   * {@code chaosAtMs}, then checks everything; returns the summary line.
   */
  String check(String label, long chaosAtMs, java.util.concurrent.Callable<?> chaos) throws Exception {
    int port = this.port;
    List<Agent> agents = new ArrayList<>();
    for (int i = 0; i < agentCount; i++) {
      try (V2Client c = new V2Client(port).hello()) {
        c.register(unique("chk" + i));
        agents.add(new Agent(c));
      }
    }
    AtomicInteger sends = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long end = System.currentTimeMillis() + runMs;
    for (int i = 0; i < agentCount; i++) {
      Agent me = agents.get(i);
      int index = i;
      Thread t = new Thread(() -> run(port, me, index, agents, end, sends), "agent-" + i);
      threads.add(t);
      t.start();
    }
    if (chaos != null) {
      Thread.sleep(chaosAtMs);
      chaos.call();
    }
    for (Thread t : threads) {
      t.join(runMs + 60_000);
    }
    // a last session each: everything left comes at login (and pushes), and a sync from 0 agrees
    int messages = 0;
    int duplicateDeliveries = 0;
    AtomicInteger filledBySync = new AtomicInteger();
    for (Agent a : agents) {
      try (V2Client c = reconnect(port, a)) {
        drainPushes(c, a, 500);
        JsonArray all = new JsonArray();
        long after = 0;
        while (true) {
          JsonObject page = c.ok(new JsonObject().put("type", "sync").put("after", after).put("limit", 500));
          all.addAll(page.getJsonArray("msgs"));
          if (!page.getBoolean("more")) {
            break;
          }
          after = page.getLong("last");
        }
        for (int k = 0; k < all.size(); k++) {
          JsonObject e = all.getJsonObject(k);
          assertThat(e.getLong("seq")).as("sync is gap-free from 1").isEqualTo(k + 1);
          Long pushed = a.seqs.get(e.getLong("seq"));
          if (pushed == null) {
            a.received(e); // still on its way as a push (pages are paced): the client takes it from sync
            filledBySync.incrementAndGet();
          } else {
            assertThat(pushed).as("what was pushed is what sync says (seq %d)", e.getLong("seq"))
                .isEqualTo(e.getJsonObject("msg").getLong("id"));
          }
        }
        assertThat(a.seqs.size()).isEqualTo(all.size());
      }
      assertThat(a.conflicts).isEmpty();
      assertThat(a.seqs.lastKey() == null ? 0 : a.seqs.lastKey()).isEqualTo(a.seqs.size());
      Set<Long> ids = new HashSet<>(a.seqs.values());
      duplicateDeliveries += a.seqs.size() - ids.size();
      messages += a.seqs.size();
    }
    assertThat(duplicateDeliveries).as("a message under two seqs (stored twice)").isZero();
    // every answered send arrived exactly once, at its recipient, in its sender's order
    int answered = 0;
    for (Agent sender : agents) {
      for (Map.Entry<String, Long> s : sender.stored.entrySet()) {
        answered++;
        int to = Integer.parseInt(s.getKey().split("/")[1]);
        Agent recipient = agents.stream().filter(a -> a.identity.user == to).findFirst().orElseThrow();
        assertThat(recipient.seqs.values()).as("%s reached its recipient", s.getKey()).contains(s.getValue());
      }
    }
    for (Agent recipient : agents) {
      Map<String, Integer> lastFrom = new HashMap<>();
      for (Long id : recipient.seqs.values()) {
        String[] text = recipient.texts.get(id).split("/"); // sender/recipient/counter
        int counter = Integer.parseInt(text[2]);
        Integer previous = lastFrom.put(text[0], counter);
        assertThat(previous == null || previous < counter).as("order of %s's messages", text[0]).isTrue();
      }
    }
    int reconnects = agents.stream().mapToInt(a -> a.reconnects).sum();
    int resends = agents.stream().mapToInt(a -> a.resends).sum();
    String summary = String.format("V2 checker (%s): %d agents, %d sends attempted, %d answered, %d messages received once each, "
        + "%d reconnects, %d resends with the same client id, %d taken from the final sync, 0 gaps, 0 duplicates, order kept",
        label, agentCount, sends.get(), answered, messages, reconnects, resends, filledBySync.get());
    System.out.println(summary);
    assertThat(answered).isPositive();
    assertThat(reconnects).isPositive();
    return summary;
  }

  private void run(int port, Agent me, int index, List<Agent> agents, long end, AtomicInteger sends) {
    Random random = new Random(index);
    int counter = 0;
    String pending = null; // a send whose reply did not come back: resent with the same cmid
    int pendingTo = 0;
    while (System.currentTimeMillis() < end) {
      try (V2Client c = reconnect(port, me)) {
        if (pending != null) {
          JsonObject reply = c.send(pendingTo, pending, pending);
          me.stored.put(pending, reply.getLong("messageId"));
          me.resends++;
          pending = null;
        }
        int burst = 5 + random.nextInt(30);
        for (int k = 0; k < burst && System.currentTimeMillis() < end; k++) {
          Agent to = agents.get((index + 1 + random.nextInt(agentCount - 1)) % agentCount);
          String text = me.identity.user + "/" + to.identity.user + "/" + (++counter);
          pending = text;
          pendingTo = to.identity.user;
          sends.incrementAndGet();
          if (random.nextInt(20) == 0) {
            // drop the connection with the send on the wire, before its reply
            c.sendRaw(new JsonObject().put("id", "x").put("type", "send").put("to", new JsonObject().put("user", pendingTo))
                .put("cmid", text).put("text", text).encode());
            break;
          }
          JsonObject reply = c.send(pendingTo, text, text);
          me.stored.put(text, reply.getLong("messageId"));
          pending = null;
          drainPushes(c, me, 0);
          if (random.nextInt(4) == 0) {
            me.acked = Math.max(me.acked, me.contiguous());
            c.ok(new JsonObject().put("type", "ack").put("seq", me.acked));
          }
        }
        drainPushes(c, me, 50);
      } catch (Exception | AssertionError e) {
        // the connection went away mid-call: the next session sorts it out
      }
      me.reconnects++;
    }
    if (pending != null) {
      try (V2Client c = reconnect(port, me)) {
        me.stored.put(pending, c.send(pendingTo, pending, pending).getLong("messageId"));
        me.resends++;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A new connection and login for the agent; what the login reply carries counts as received. */
  /** After a node dies, its users count as online until its heartbeat expires (5 s): retry meanwhile. */
  private static V2Client reconnect(int port, Agent a) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      V2Client c = new V2Client(port);
      try {
        return tryReconnect(c, a);
      } catch (Exception | AssertionError e) {
        c.close();
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static V2Client tryReconnect(V2Client c, Agent a) throws Exception {
    c.hello();
    c.user = a.identity.user;
    c.password = a.identity.password;
    JsonObject login = null;
    for (int attempt = 0; attempt < 150 && login == null; attempt++) {
      JsonObject reply = c.call(new JsonObject().put("type", "login").put("user", c.user).put("password", c.password));
      if (reply.getBoolean("ok")) {
        login = reply;
      } else {
        assertThat(reply.getInteger("code")).as("only 'still online' while the old connection closes").isEqualTo(1011);
        Thread.sleep(50);
      }
    }
    assertThat(login).as("logged in again").isNotNull();
    for (Object m : login.getJsonArray("msgs")) {
      a.received((JsonObject) m);
    }
    return c;
  }

  private static void drainPushes(V2Client c, Agent a, long waitMs) throws InterruptedException {
    JsonObject p;
    while ((p = c.pollPush(waitMs)) != null) {
      if ("msg".equals(p.getString("type"))) {
        a.received(p);
      }
      waitMs = 0;
    }
  }
}
