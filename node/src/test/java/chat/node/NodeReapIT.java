package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node killed with SIGKILL never signs its users off; the survivors must (ClusterLink,
 * NodeReaper). Two survivors run in this JVM, the victims are node processes killed for real.
 */
class NodeReapIT {
  static final long TTL_MS = 1000;
  static final int REAP_PAGE = 2;
  static final int REAP_MAX = 5;
  /** The heartbeat expires within one TTL, a reaper looks every TTL: allow a third for a loaded machine. */
  static final long BOUND_MS = 3 * TTL_MS + 1000;

  static TestRedis redis;
  static TestNode a;
  static TestNode c;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(TestRedis.available(), "redis-server not installed");
    assumeTrue(new File("target/chat-node.jar").exists(), "chat-node.jar not built");
    redis = new TestRedis();
    a = TestNode.start(settings("ra"));
    c = TestNode.start(settings("rc"));
    Health.awaitRedis(a, "up");
    Health.awaitRedis(c, "up");
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.closeAll(a, c);
    if (redis != null) {
      redis.close();
    }
  }

  private static JsonObject settings(String id) {
    return new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", id)
        .put("CHAT_NODE_TTL_MS", TTL_MS).put("CHAT_REAP_PAGE", REAP_PAGE).put("CHAT_REAP_MAX_USERS", REAP_MAX);
  }

  /** A node process on this Redis and database, ready (Redis up) once this returns. */
  private static Victim startVictim(String id) throws Exception {
    int tcp = TestNode.freePort();
    int http = TestNode.freePort();
    int management = TestNode.freePort(); // the detailed /health (Redis's state) is the management port's
    File log = new File("target/node-reap-" + id + ".log");
    ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
        new File("target/chat-node.jar").getAbsolutePath())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    TestDatabase.get().nodeEnvironment(pb.environment(), tcp, http);
    pb.environment().put("CHAT_REDIS_URL", redis.url());
    pb.environment().put("CHAT_NODE_ID", id);
    pb.environment().put("CHAT_NODE_TTL_MS", String.valueOf(TTL_MS));
    pb.environment().put("CHAT_GATEWAY_INSTANCES", "1");
    pb.environment().put("CHAT_MANAGEMENT_PORT", String.valueOf(management));
    return new Victim(pb.start(), tcp, management, log);
  }

  /** {@code management}: the node's management port. */
  record Victim(Process process, int tcp, int management, File log) {
    void awaitReady() throws Exception {
      HttpClient client = HttpClient.newHttpClient();
      long end = System.currentTimeMillis() + 90_000;
      while (true) {
        assertThat(process.isAlive()).as("node process alive, see %s", log).isTrue();
        try {
          String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/health")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
          if (body.contains("\"redis\":\"up\"")) {
            return;
          }
        } catch (java.io.IOException notYet) {
          // not listening yet
        }
        assertThat(System.currentTimeMillis()).as("node %s ready within 90 s", log).isLessThan(end);
        Thread.sleep(100);
      }
    }

    /** SIGKILL: no logout, no heartbeat removal, nothing. */
    void kill() throws Exception {
      process.destroyForcibly();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static void befriend(V2Client from, V2Client to) throws Exception {
    from.ok(new JsonObject().put("type", "friend.request").put("user", to.user));
    assertThat(to.push().getString("event")).isEqualTo("request");
    to.ok(new JsonObject().put("type", "friend.accept").put("user", from.user));
    assertThat(from.push().getString("event")).isEqualTo("accepted");
    assertThat(from.push().getString("type")).isEqualTo("presence"); // new friends learn each other's presence
    assertThat(to.push().getString("type")).isEqualTo("presence");
  }

  private static String bootOf(V2Client user) throws Exception {
    String at = redis.cli("GET", "chat:user:" + user.user);
    assertThat(at).as("registered in redis").contains("|");
    return at.substring(0, at.indexOf('|'));
  }

  /** The next presence push about {@code of}, skipping other pushes; null if none comes within ms. */
  private static JsonObject presenceOf(V2Client watcher, V2Client of, long ms) throws InterruptedException {
    long end = System.currentTimeMillis() + ms;
    for (JsonObject p; (p = watcher.pollPush(Math.max(1, end - System.currentTimeMillis()))) != null; ) {
      if ("presence".equals(p.getString("type")) && p.getInteger("user") == of.user) {
        return p;
      }
    }
    return null;
  }

  @Test
  void friendsOfAKilledNodesUserAreToldOfflineOnceWithinTheBound() throws Exception {
    Victim b = startVictim("rb1");
    b.awaitReady();
    try (V2Client x = V2Client.online(a.port, "rx"); V2Client v = V2Client.online(c.port, "rv");
        V2Client w = V2Client.online(b.tcp(), "rw")) {
      befriend(w, x);
      befriend(w, v);
      String boot = bootOf(w);
      assertThat(redis.cli("SMEMBERS", "chat:boots")).contains(boot);
      assertThat(redis.cli("SMEMBERS", "chat:boot-users:" + boot)).isEqualTo(String.valueOf(w.user));

      long killed = System.currentTimeMillis();
      b.kill();
      JsonObject off = presenceOf(x, w, 10_000);
      long tookMs = System.currentTimeMillis() - killed;
      String reaper = redis.cli("GET", "chat:reap:" + boot); // held for two ttls after the reap
      System.out.printf("NodeReapIT: friend told offline %d ms after SIGKILL (ttl %d ms, bound %d ms)%n", tookMs, TTL_MS, BOUND_MS);
      assertThat(off).as("offline pushed to the friend on node A").isNotNull();
      assertThat(off.getBoolean("online")).as("%s", off).isFalse();
      assertThat(tookMs).isLessThanOrEqualTo(BOUND_MS);
      JsonObject offV = presenceOf(v, w, 5000);
      assertThat(offV).as("and to the friend on node C").isNotNull();
      assertThat(offV.getBoolean("online")).isFalse();

      // two survivors looked, one reaped: a second reap would have pushed a second "offline"
      assertThat(presenceOf(x, w, 2 * TTL_MS + 500)).as("exactly one offline").isNull();
      assertThat(presenceOf(v, w, 100)).isNull();
      assertThat(redis.cli("EXISTS", "chat:user:" + w.user)).isEqualTo("0");
      assertThat(redis.cli("EXISTS", "chat:boot-users:" + boot)).isEqualTo("0");
      assertThat(redis.cli("SMEMBERS", "chat:boots")).doesNotContain(boot);
      assertThat(List.of(bootOf(x), bootOf(v))).as("reaped by a survivor").contains(reaper);
    } finally {
      b.process().destroyForcibly();
    }
  }

  @Test
  void aUserBackOnAnotherNodeBeforeTheReapIsNotShownOffline() throws Exception {
    Victim b = startVictim("rb2");
    b.awaitReady();
    try (V2Client x = V2Client.online(a.port, "rx2"); V2Client y = V2Client.online(b.tcp(), "ry");
        V2Client z = V2Client.online(b.tcp(), "rz")) {
      befriend(y, x);
      befriend(z, x);
      String boot = bootOf(y);
      // the test holds the reap claim, so the re-login surely comes first
      long holdMs = 4000;
      redis.cli("SET", "chat:reap:" + boot, "test-holder", "PX", String.valueOf(holdMs));
      long killed = System.currentTimeMillis();
      b.kill();
      try (V2Client yAgain = V2Client.loginWhenFree(a.port, y)) {
        long backMs = System.currentTimeMillis() - killed;
        assertThat(backMs).as("logged in again before the reap could start").isLessThan(holdMs);
        JsonObject on = presenceOf(x, y, 5000);
        assertThat(on).isNotNull();
        assertThat(on.getBoolean("online")).isTrue();

        JsonObject offZ = presenceOf(x, z, holdMs + BOUND_MS);
        long reapedMs = System.currentTimeMillis() - killed;
        System.out.printf("NodeReapIT: y back on A after %d ms, z told offline after %d ms (claim held %d ms)%n",
            backMs, reapedMs, holdMs);
        assertThat(offZ).as("the user who stayed away is reaped").isNotNull();
        assertThat(offZ.getBoolean("online")).isFalse();
        assertThat(presenceOf(x, y, 2 * TTL_MS + 500)).as("y is online on A: no presence change").isNull();
        assertThat(redis.cli("GET", "chat:user:" + y.user)).startsWith(bootOf(x) + "|");
        assertThat(redis.cli("SISMEMBER", "chat:boot-users:" + bootOf(x), String.valueOf(y.user))).isEqualTo("1");
        assertThat(redis.cli("EXISTS", "chat:boot-users:" + boot)).isEqualTo("0");
      }
    } finally {
      b.process().destroyForcibly();
    }
  }

  /** A dead boot with more users than a tick may reap: it goes in steps of at most CHAT_REAP_MAX_USERS. */
  @Test
  void aReapClearsAtMostItsLimitPerTickAndSparesMovedUsers() throws Exception {
    String dead = "fake-" + UUID.randomUUID();
    int users = 23;
    List<String> ids = new ArrayList<>();
    List<String> mset = new ArrayList<>(List.of("MSET"));
    for (int i = 0; i < users; i++) {
      String id = String.valueOf(2_000_000_000 + i);
      ids.add(id);
      mset.addAll(List.of("chat:user:" + id, dead + "|gateway.gw.session." + i));
    }
    String moved = ids.get(0);
    mset.set(2, "elsewhere-boot|gateway.gw.session.x"); // logged in again on a node that lives
    redis.cli(mset.toArray(String[]::new));
    List<String> sadd = new ArrayList<>(List.of("SADD", "chat:boot-users:" + dead));
    sadd.addAll(ids);
    redis.cli(sadd.toArray(String[]::new));
    redis.cli("SADD", "chat:boots", dead);

    List<Integer> seen = new ArrayList<>();
    long start = System.currentTimeMillis();
    int last = users;
    seen.add(last);
    while (last > 0) {
      assertThat(System.currentTimeMillis() - start).as("reaped within 30 s: %s", seen).isLessThan(30_000);
      int now = Integer.parseInt(redis.cli("SCARD", "chat:boot-users:" + dead));
      if (now != last) {
        seen.add(now);
        last = now;
      }
      Thread.sleep(20);
    }
    long tookMs = System.currentTimeMillis() - start;
    System.out.printf("NodeReapIT: %d users of a dead boot reaped in steps %s over %d ms (limit %d per tick)%n",
        users, seen, tookMs, REAP_MAX);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i - 1) - seen.get(i)).as("one step of %s", seen).isLessThanOrEqualTo(REAP_MAX);
    }
    assertThat(seen.size()).as("at least %d ticks: %s", (users + REAP_MAX - 1) / REAP_MAX, seen)
        .isGreaterThanOrEqualTo(1 + (users + REAP_MAX - 1) / REAP_MAX);
    assertThat(redis.cli("GET", "chat:user:" + moved)).isEqualTo("elsewhere-boot|gateway.gw.session.x");
    assertThat(redis.cli("EXISTS", "chat:user:" + ids.get(1))).isEqualTo("0");
    assertThat(redis.cli("EXISTS", "chat:user:" + ids.get(users - 1))).isEqualTo("0");
    assertThat(redis.cli("SMEMBERS", "chat:boots")).doesNotContain(dead);
  }

  /**
   * A node that was only paused (its heartbeat expired and a survivor reaped it) is still serving
   * its users: at its next heartbeat it notices, registers them again and tells friends "online".
   */
  @Test
  void aNodeWhoseHeartbeatLapsedRegistersItsUsersAgain() throws Exception {
    try (V2Client x = V2Client.online(a.port, "rlx"); V2Client u = V2Client.online(c.port, "rlu")) {
      befriend(u, x);
      String boot = bootOf(u);
      // a real lapse lasts a ttl or more, past the presence window of u's login; wait that out
      Thread.sleep(1200);
      // what a reaper leaves: the location gone, the listing gone, friends told offline
      redis.cli("DEL", "chat:node:" + boot, "chat:user:" + u.user, "chat:boot-users:" + boot);
      Poll.until("registered again", () -> redis.cli("GET", "chat:user:" + u.user).startsWith(boot + "|"));
      assertThat(redis.cli("SISMEMBER", "chat:boot-users:" + boot, String.valueOf(u.user))).isEqualTo("1");
      JsonObject on = presenceOf(x, u, 5000);
      assertThat(on).as("friends told online again").isNotNull();
      assertThat(on.getBoolean("online")).isTrue();
    }
  }

  /** A clean stop leaves nothing for a reaper: its boot and user listing are gone. */
  @Test
  void aCleanStopRemovesItsOwnListing() throws Exception {
    TestNode d = TestNode.start(settings("rd"));
    V2Client u = null;
    String boot;
    try {
      Health.awaitRedis(d, "up");
      u = V2Client.online(d.port, "rcs");
      boot = bootOf(u);
      assertThat(redis.cli("SISMEMBER", "chat:boot-users:" + boot, String.valueOf(u.user))).isEqualTo("1");
    } finally {
      d.close(); // with the user still logged in: the node signs them off and drops its listing
      if (u != null) {
        u.close();
      }
    }
    assertThat(redis.cli("EXISTS", "chat:boot-users:" + boot)).isEqualTo("0");
    assertThat(redis.cli("SMEMBERS", "chat:boots")).doesNotContain(boot);
    assertThat(redis.cli("EXISTS", "chat:node:" + boot)).isEqualTo("0");
  }
}
