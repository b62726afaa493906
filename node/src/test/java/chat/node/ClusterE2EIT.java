package chat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster as users run it: three node processes (bin/demo-cluster) behind a real nginx,
 * sharing a real Redis and MariaDB. 200 clients chat 1:1 and in groups across nodes; then one
 * node is killed with SIGKILL while traffic flows, its clients reconnect through nginx, and
 * every stored message must have reached its recipient.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterE2EIT {
  static final int CLIENTS = 200;
  static final int GROUPS = 10;
  static final int GROUP_SIZE = 20;
  static final long ONE_TO_ONE_EVERY_MS = 250;
  static final long GROUP_EVERY_MS = 2500;
  static final long TRAFFIC_MS = 10_000;
  static final long KILL_AT_MS = 4_000;
  static final String VICTIM = "node2";
  /**
   * Classic clients do not acknowledge messages, so a node can only record what it wrote to a
   * socket after writing it (table delivered, saved as soon as it moves). After SIGKILL, what the
   * dead node wrote after its last save is sent again at the next login: at-least-once, never
   * lost. A duplicate must therefore be a message first received live just before the kill; the
   * bound allows for a database round trip on a loaded 2-core machine.
   */
  static final long DUP_WINDOW_MS = 1000;

  static TestRedis redis;
  static File dir;
  static int nginxPort;
  static int nodePort;
  static int httpPort;
  static int webPort;
  static final String RUN = UUID.randomUUID().toString().substring(0, 6);

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(TestRedis.available(), "redis-server not installed");
    assumeTrue(new File("/usr/sbin/nginx").canExecute() && new File("/usr/lib/nginx/modules/ngx_stream_module.so").exists(),
        "nginx with the stream module not installed");
    redis = new TestRedis();
    dir = new File("target/e2e-cluster").getAbsoluteFile();
    // node ports below the kernel's ephemeral range (32768 up), where client sockets of other
    // tests cannot take them; and another try on other ports if one was taken anyway
    for (int attempt = 1; ; attempt++) {
      nginxPort = TestNode.freePort();
      webPort = TestNode.freePort();
      nodePort = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
      httpPort = nodePort + 10;
      try {
        cluster("start");
        return;
      } catch (AssertionError e) {
        cluster("stop");
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (dir != null) {
      cluster("stop");
    }
    if (redis != null) {
      redis.close();
    }
  }

  static void cluster(String... args) throws Exception {
    TestDatabase db = TestDatabase.get();
    List<String> cmd = new ArrayList<>(List.of(new File("../bin/demo-cluster").getAbsolutePath()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    Map<String, String> env = pb.environment();
    env.put("CHAT_NODE_JAR", new File("target/chat-node.jar").getAbsolutePath());
    env.put("CHAT_DEMO_DIR", dir.getPath());
    env.put("CHAT_DEMO_PORT", String.valueOf(nginxPort));
    env.put("CHAT_DEMO_NODE_PORT", String.valueOf(nodePort));
    env.put("CHAT_DEMO_HTTP_PORT", String.valueOf(httpPort));
    env.put("CHAT_DEMO_WEB_PORT", String.valueOf(webPort));
    env.put("CHAT_DEMO_MANAGEMENT_PORT", String.valueOf(nodePort + 20));
    TestDatabase.generousLimits().forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    env.put("CHAT_DB_HOST", db.host);
    env.put("CHAT_DB_PORT", String.valueOf(db.port));
    env.put("CHAT_DB_NAME", db.name);
    env.put("CHAT_DB_USER", db.user);
    env.put("CHAT_DB_PASSWORD", db.password);
    env.put("CHAT_REDIS_URL", redis.url());
    env.put("CHAT_BCRYPT_COST", "4");
    env.put("CHAT_GATEWAY_INSTANCES", "1");
    env.put("JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo-cluster %s finished", args[0]).isTrue();
    assertThat(p.exitValue()).as("demo-cluster %s", String.join(" ", args)).isZero();
  }

  /** Which node holds a user, from the presence registry: chat:user:<id> = boot|gateway.session.<node>-<gw>.<n> */
  static String nodeOf(int userId) throws Exception {
    String at = redis.cli("GET", "chat:user:" + userId);
    int from = at.indexOf("gateway.session.");
    return from < 0 ? "?" : at.substring(from + "gateway.session.".length(), at.indexOf('-', from));
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void twoHundredClientsThroughNginxSurviveANodeKill() throws Exception {
    List<E2eClient> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(new E2eClient(i, "e2e-" + RUN + "-" + i));
      }
      // sequential connects: least_conn spreads them evenly
      for (E2eClient c : clients) {
        c.connect(nginxPort);
      }
      all(pool, clients, c -> {
        c.register();
        assertThat(c.login()).isZero();
      });
      Map<String, Integer> perNode = new HashMap<>();
      for (E2eClient c : clients) {
        c.node = nodeOf(c.id);
        perNode.merge(c.node, 1, Integer::sum);
      }
      System.out.println("[e2e] clients per node: " + perNode);
      assertThat(perNode.keySet()).containsExactlyInAnyOrder("node1", "node2", "node3");
      perNode.values().forEach(n -> assertThat(n).isGreaterThanOrEqualTo(CLIENTS / 6));

      int[] groupIds = createGroups(clients);

      // --- traffic, with SIGKILL of one node in the middle ---
      Set<String> sent = ConcurrentHashMap.newKeySet();
      Map<String, Integer> senderOf = new ConcurrentHashMap<>();
      long start = System.nanoTime();
      long end = start + TimeUnit.MILLISECONDS.toNanos(TRAFFIC_MS);
      AtomicLong seq = new AtomicLong();
      List<Future<?>> senders = new ArrayList<>();
      ExecutorService senderPool = Executors.newFixedThreadPool(CLIENTS);
      for (E2eClient c : clients) {
        senders.add(senderPool.submit(() -> {
          ThreadLocalRandom rnd = ThreadLocalRandom.current();
          long nextGroup = System.nanoTime() + rnd.nextLong(TimeUnit.MILLISECONDS.toNanos(GROUP_EVERY_MS));
          while (System.nanoTime() < end) {
            E2eClient to = clients.get(rnd.nextInt(CLIENTS));
            if (to != c) {
              String body = "1|" + c.index + "|" + seq.incrementAndGet() + "|" + System.nanoTime();
              if (c.chat(to.id, body)) {
                sent.add(body);
                senderOf.put(body, c.index);
              }
            }
            if (System.nanoTime() > nextGroup) {
              nextGroup += TimeUnit.MILLISECONDS.toNanos(GROUP_EVERY_MS);
              String body = "g|" + c.index + "|" + seq.incrementAndGet();
              if (c.groupChat(groupIds[c.index / GROUP_SIZE], body)) {
                sent.add(body);
                senderOf.put(body, c.index);
              }
            }
            Thread.sleep(ONE_TO_ONE_EVERY_MS);
          }
          return null;
        }));
      }
      Thread.sleep(KILL_AT_MS);
      List<E2eClient> victims = clients.stream().filter(c -> VICTIM.equals(c.node)).toList();
      long killedAt = System.nanoTime();
      cluster("kill-node", VICTIM.substring(4));
      System.out.println("[e2e] killed " + VICTIM + " (kill -9) with " + victims.size() + " clients");

      // victims reconnect through nginx and log in again; errno 2 until the cluster sees the node gone
      Map<Integer, Long> healedAfterMs = new ConcurrentHashMap<>();
      List<Future<?>> reconnects = new ArrayList<>();
      ExecutorService reconnectPool = Executors.newFixedThreadPool(8);
      for (E2eClient v : victims) {
        reconnects.add(reconnectPool.submit(() -> {
          while (v.online) {
            Thread.sleep(20);
          }
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          while (System.nanoTime() < deadline) {
            v.close();
            v.connect(nginxPort);
            int errno = v.login();
            if (errno == 0) {
              healedAfterMs.put(v.index, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
              v.node = nodeOf(v.id);
              return null;
            }
            Thread.sleep(200);
          }
          throw new AssertionError("client " + v.index + " could not log in again within 30 s; last errno " + v.lastErrno);
        }));
      }
      for (Future<?> f : senders) {
        f.get(TRAFFIC_MS + 30_000, TimeUnit.MILLISECONDS);
      }
      for (Future<?> f : reconnects) {
        f.get(40, TimeUnit.SECONDS);
      }
      reconnectPool.shutdown();
      senderPool.shutdown();
      awaitQuiet(clients);

      // --- counts ---
      Map<Integer, Set<String>> stored = storedBodies(clients);
      Set<String> storedAll = new HashSet<>();
      stored.values().forEach(storedAll::addAll);
      Set<Integer> victimIdx = new HashSet<>();
      victims.forEach(v -> victimIdx.add(v.index));
      long expected = 0;
      long delivered = 0;
      long missing = 0;
      long unexpected = 0;
      long dupVictims = 0;
      long dupOutsideWindow = 0;
      long dupMaxAgeMs = 0;
      long dupOthers = 0;
      for (E2eClient c : clients) {
        Set<String> mine = stored.getOrDefault(c.id, Set.of());
        expected += mine.size();
        for (String body : mine) {
          int n = c.received.getOrDefault(body, 0);
          if (n == 0) {
            missing++;
          } else {
            delivered++;
          }
          if (n > 1) {
            if (victimIdx.contains(c.index)) {
              dupVictims += n - 1;
              Long live = c.firstLive.get(body);
              if (live != null) {
                dupMaxAgeMs = Math.max(dupMaxAgeMs, TimeUnit.NANOSECONDS.toMillis(killedAt - live));
              }
              if (live == null || killedAt - live > TimeUnit.MILLISECONDS.toNanos(DUP_WINDOW_MS)) {
                dupOutsideWindow++;
              }
            } else {
              dupOthers += n - 1;
            }
          }
        }
        for (String body : c.received.keySet()) {
          if (!mine.contains(body)) {
            unexpected++;
          }
        }
      }
      long notStoredFromSurvivors = sent.stream()
          .filter(b -> !storedAll.contains(b) && !victimIdx.contains(senderOf.get(b))).count();
      long notStoredFromVictims = sent.stream()
          .filter(b -> !storedAll.contains(b) && victimIdx.contains(senderOf.get(b))).count();
      List<Long> heal = new ArrayList<>(healedAfterMs.values());
      heal.sort(null);

      List<Long> cross = new ArrayList<>();
      List<Long> local = new ArrayList<>();
      Map<Integer, String> nodeAtStart = new HashMap<>();
      for (E2eClient c : clients) {
        nodeAtStart.put(c.index, victimIdx.contains(c.index) ? VICTIM : c.node);
      }
      for (E2eClient c : clients) {
        synchronized (c.latencies) {
          for (long[] l : c.latencies) {
            boolean sameNode = nodeAtStart.get((int) l[0]).equals(nodeAtStart.get(c.index))
                && !victimIdx.contains((int) l[0]) && !victimIdx.contains(c.index);
            (sameNode ? local : cross).add(l[1]);
          }
        }
      }
      cross.sort(null);
      local.sort(null);

      System.out.printf(
          "[e2e] sent %d accepted(stored) %d; deliveries expected %d delivered %d missing %d unexpected %d%n"
              + "[e2e] duplicates: %d to clients of the killed node (first received at most %d ms before the kill), %d to others%n"
              + "[e2e] sends not accepted: %d from surviving nodes' clients, %d from the killed node's clients%n"
              + "[e2e] presence healed after kill -9: first re-login %d ms, last %d ms (%d clients)%n"
              + "[e2e] live 1:1 latency cross-node (%d msgs): p50 %.1f ms p99 %.1f ms; same node (%d): p50 %.1f ms p99 %.1f ms%n",
          sent.size(), storedAll.size(), expected, delivered, missing, unexpected, dupVictims, dupMaxAgeMs, dupOthers,
          notStoredFromSurvivors, notStoredFromVictims, heal.get(0), heal.get(heal.size() - 1), heal.size(),
          cross.size(), pct(cross, 50), pct(cross, 99), local.size(), pct(local, 50), pct(local, 99));

      assertThat(missing).as("stored messages never delivered").isZero();
      assertThat(unexpected).as("deliveries of messages never stored").isZero();
      assertThat(dupOthers).as("duplicates to clients of surviving nodes").isZero();
      assertThat(dupOutsideWindow).as("duplicates to the killed node's clients of messages older than %d ms", DUP_WINDOW_MS).isZero();
      assertThat(notStoredFromSurvivors).as("messages from surviving clients lost").isZero();
      assertThat(heal.get(heal.size() - 1)).as("every victim logged in again within 10 s").isLessThanOrEqualTo(10_000);
      assertThat(healedAfterMs).hasSize(victims.size());
      assertThat(delivered).isGreaterThan(CLIENTS * 20L);

      // --- the killed node comes back and rejoins by itself ---
      cluster("start-node", VICTIM.substring(4));
      Poll.until("restarted node up in redis", () -> redis.cli("KEYS", "chat:node:*").lines().count() == 3);
      // nginx retries a failed upstream after fail_timeout (5 s); least_conn then favours the empty node
      List<E2eClient> late = new ArrayList<>();
      E2eClient onRestarted = null;
      long until = System.currentTimeMillis() + 20_000;
      while (onRestarted == null && System.currentTimeMillis() < until) {
        E2eClient c = new E2eClient(CLIENTS + late.size(), "e2e-" + RUN + "-late-" + late.size());
        c.connect(nginxPort);
        c.register();
        assertThat(c.login()).isZero();
        c.node = nodeOf(c.id);
        late.add(c);
        if (VICTIM.equals(c.node)) {
          onRestarted = c;
        } else {
          Thread.sleep(500);
        }
      }
      assertThat(onRestarted).as("nginx sends new clients to the restarted node").isNotNull();
      System.out.println("[e2e] restarted " + VICTIM + " took a new client after " + late.size() + " connection(s)");
      E2eClient elsewhere = clients.stream().filter(c -> !VICTIM.equals(c.node)).findFirst().orElseThrow();
      E2eClient back = onRestarted;
      back.chat(elsewhere.id, "back|from|restart");
      elsewhere.chat(back.id, "welcome|back");
      Poll.until("chat with the restarted node", () ->
          elsewhere.received.containsKey("back|from|restart") && back.received.containsKey("welcome|back"));
      late.forEach(E2eClient::close);
    } finally {
      clients.forEach(E2eClient::close);
      pool.shutdownNow();
    }
  }

  interface ClientTask {
    void run(E2eClient c) throws Exception;
  }

  static void all(ExecutorService pool, List<E2eClient> clients, ClientTask task) throws Exception {
    List<Future<?>> fs = new ArrayList<>();
    for (E2eClient c : clients) {
      fs.add(pool.submit(() -> {
        task.run(c);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  /** GROUPS groups of GROUP_SIZE consecutive clients; the first of each creates it. */
  static int[] createGroups(List<E2eClient> clients) throws Exception {
    int[] ids = new int[GROUPS];
    for (int g = 0; g < GROUPS; g++) {
      E2eClient owner = clients.get(g * GROUP_SIZE);
      String name = "e2e-" + RUN + "-g" + g;
      owner.send(new io.vertx.core.json.JsonObject().put("msgid", 8).put("id", owner.id).put("groupname", name).put("groupdesc", "e2e"));
      Poll.until("group " + name, () -> Poll.number("SELECT id FROM chat_groups WHERE name = ?", name) > 0);
      ids[g] = (int) Poll.number("SELECT id FROM chat_groups WHERE name = ?", name);
      for (int i = 1; i < GROUP_SIZE; i++) {
        E2eClient m = clients.get(g * GROUP_SIZE + i);
        m.send(new io.vertx.core.json.JsonObject().put("msgid", 9).put("id", m.id).put("groupid", ids[g]));
      }
    }
    for (int id : ids) {
      Poll.until("members of " + id, () -> Poll.number("SELECT COUNT(*) FROM group_members WHERE group_id = ?", id) == GROUP_SIZE);
    }
    return ids;
  }

  /** Waits until no client has received anything for a second. */
  static void awaitQuiet(List<E2eClient> clients) throws Exception {
    long last = -1;
    long stableSince = System.currentTimeMillis();
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      long total = clients.stream().mapToLong(c -> c.received.values().stream().mapToLong(Integer::longValue).sum()).sum();
      if (total != last) {
        last = total;
        stableSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - stableSince > 1500) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** user id -> bodies the store holds for that user. */
  static Map<Integer, Set<String>> storedBodies(List<E2eClient> clients) throws Exception {
    Map<Integer, Set<String>> byUser = new HashMap<>();
    int min = clients.stream().mapToInt(c -> c.id).min().orElseThrow();
    int max = clients.stream().mapToInt(c -> c.id).max().orElseThrow();
    try (Connection c = TestDatabase.get().jdbc();
        PreparedStatement ps = c.prepareStatement(
            "SELECT i.user_id, m.body FROM inbox i JOIN messages m ON m.id = i.message_id WHERE i.user_id BETWEEN ? AND ?")) {
      ps.setInt(1, min);
      ps.setInt(2, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byUser.computeIfAbsent(rs.getInt(1), k -> new HashSet<>()).add(rs.getString(2));
        }
      }
    }
    return byUser;
  }

  static double pct(List<Long> sortedNanos, int p) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.min(sortedNanos.size() - 1, Math.ceil(p / 100.0 * sortedNanos.size()) - 1);
    return sortedNanos.get(Math.max(0, i)) / 1e6;
  }

  /**
   * The v2 checker through nginx while node 3 is killed (kill -9): agents on it reconnect to the
   * others, log in again once the cluster sees the node gone, resend with the same client ids and
   * sync; every answered message still arrives once, gap-free and in order.
   */
  @Test
  @org.junit.jupiter.api.Order(2)
  void v2AgentsThroughNginxKeepEveryGuaranteeAcrossANodeKill() throws Exception {
    new V2Checker(nginxPort, 9, 10_000).check("three nodes, node 3 killed with kill -9 at 4 s", 4_000, () -> {
      cluster("kill-node", "3");
      return null;
    });
  }

  /** The web client through nginx's http block: the page, and v2 over its WebSocket to a TCP user behind the stream block. */
  @Test
  @org.junit.jupiter.api.Order(3)
  void theWebClientWorksThroughNginx() throws Exception {
    java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(java.time.Duration.ofSeconds(5)).build().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + webPort + "/")).timeout(java.time.Duration.ofSeconds(10)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    try (V2Client web = new V2Client(webPort, "http://127.0.0.1:" + webPort).hello().register(ClassicClient.unique("e2eweb"));
        V2Client tcp = V2Client.online(nginxPort, "e2etcp")) {
      web.login();
      web.send(tcp.user, "n-1", "through both blocks of nginx");
      assertThat(tcp.push().getJsonObject("msg").getString("text")).isEqualTo("through both blocks of nginx");
      tcp.send(web.user, "n-2", "and back");
      assertThat(web.push().getJsonObject("msg").getString("text")).isEqualTo("and back");
    }
  }
}
