package chat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The management port's probes through a Redis outage and a database freeze: readiness turns
 * false within 5 s of either going away and true again after, while liveness stays true
 * throughout, so Kubernetes routes around the node instead of restarting it. A node full of
 * connections is not ready either (hardening 2, attack 3: "/health stays 200, so nothing notices").
 */
class HealthProbesIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  record Probe(int code, JsonObject body) {}

  static Probe probe(TestNode node, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node.managementPort() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return new Probe(r.statusCode(), r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body()));
  }

  /** Polls readiness until it is {@code ready}, checking liveness at every step; the time it took, in ms. */
  static long readyBecomes(TestNode node, boolean ready) throws Exception {
    long start = System.currentTimeMillis();
    while (true) {
      assertThat(probe(node, "/health/live").code()).as("liveness stays true").isEqualTo(200);
      Probe r = probe(node, "/health/ready");
      if ((r.code() == 200) == ready) {
        return System.currentTimeMillis() - start;
      }
      assertThat(System.currentTimeMillis() - start).as("readiness %s within 10 s: %s", ready, r.body()).isLessThan(10_000);
      Thread.sleep(100);
    }
  }

  static String failing(Probe p) {
    return p.body().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> "DOWN".equals(c.getString("status"))).map(c -> c.getString("id")).toList().toString();
  }

  @Test
  void readinessFollowsRedisAndTheDatabaseWhileLivenessHolds() throws Exception {
    assumeTrue(TestRedis.available(), "redis-server not installed");
    assumeTrue(PrivateMariaDb.available(), "mariadbd / mariadb-install-db not installed");
    try (TestRedis redis = new TestRedis(); PrivateMariaDb db = new PrivateMariaDb();
        TestNode node = TestNode.start(new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "probes")
            .put("CHAT_DB_HOST", "127.0.0.1").put("CHAT_DB_PORT", db.port).put("CHAT_DB_USER", "root")
            .put("CHAT_DB_PASSWORD", "").put("CHAT_DB_NAME", "chat_probes").put("CHAT_DB_TIMEOUT_MS", 2000))) {
      readyBecomes(node, true);
      Probe ready = probe(node, "/health/ready");
      assertThat(ready.body().getString("status")).isEqualTo("UP");
      assertThat(ready.body().getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
          .containsExactlyInAnyOrder("serving", "database", "chat", "logins", "capacity", "redis", "pubsub");

      redis.kill();
      long redisDown = readyBecomes(node, false);
      assertThat(failing(probe(node, "/health/ready"))).contains("redis");
      assertThat(redisDown).as("not ready within 5 s of Redis going away").isLessThan(5_000);
      redis.start();
      long redisBack = readyBecomes(node, true);

      db.freeze();
      long dbDown = readyBecomes(node, false);
      assertThat(failing(probe(node, "/health/ready"))).contains("database");
      assertThat(dbDown).as("not ready within 5 s of the database freezing").isLessThan(5_000);
      db.thaw();
      long dbBack = readyBecomes(node, true);
      System.out.printf("probes: not ready %d ms after Redis died, ready %d ms after it came back; not ready %d ms after the database froze,"
          + " ready %d ms after it thawed; live throughout%n", redisDown, redisBack, dbDown, dbBack);
    }
  }

  /**
   * A Redis that keeps its connections but runs no command (CLIENT PAUSE, on the test's own
   * server): the heartbeat's last answer still stands, but the node's own pub/sub ping does not
   * come back, and readiness turns false within 5 s; true again once Redis resumes.
   */
  @Test
  void readinessFollowsTheNodesOwnPubSubRoundTrip() throws Exception {
    assumeTrue(TestRedis.available(), "redis-server not installed");
    try (TestRedis redis = new TestRedis();
        TestNode node = TestNode.start(new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "roundtrip")
            .put("CHAT_PUBSUB_ROUNDTRIP_MS", 2000))) {
      readyBecomes(node, true);
      assertThat(Health.of(node).getString("pubsub")).isEqualTo("ok");
      long pausedAt = System.currentTimeMillis();
      assertThat(redis.cli("CLIENT", "PAUSE", "8000")).isEqualTo("OK");
      long down = readyBecomes(node, false);
      Probe notReady = probe(node, "/health/ready");
      assertThat(failing(notReady)).contains("pubsub");
      assertThat(down).as("not ready within 5 s of Redis delivering nothing").isLessThan(5_000);
      readyBecomes(node, true);
      long resumedAfter = System.currentTimeMillis() - pausedAt - 8000;
      System.out.printf("pub/sub round trip: not ready %d ms after Redis paused (failing %s), ready again %d ms after it resumed;"
          + " live throughout%n", down, failing(notReady), resumedAfter);
    }
  }

  @Test
  void readinessIsDownWhileTheNodeIsFullAndUpOnceItAdmitsAgain() throws Exception {
    int cap = 6;
    try (TestNode node = TestNode.start(new JsonObject().put("CHAT_MAX_CONNECTIONS", cap).put("CHAT_MAX_PRELOGIN", cap))) {
      readyBecomes(node, true);
      List<AutoCloseable> held = new ArrayList<>();
      try {
        ClassicClient user = node.connect().register(ClassicClient.unique("full"));
        held.add(user);
        user.loginOk();
        for (int i = 1; i < cap; i++) {
          held.add(new RawClient(node.port)); // idle, never logs in
        }
        long downMs = readyBecomes(node, false);
        Probe full = probe(node, "/health/ready");
        assertThat(failing(full)).as("only the capacity check fails: %s", full.body()).isEqualTo("[capacity]");
        String reason = full.body().getJsonArray("checks").stream().map(JsonObject.class::cast)
            .filter(c -> "capacity".equals(c.getString("id"))).findFirst().orElseThrow().getJsonObject("data").getString("reason");
        try (RawClient refused = new RawClient(node.port)) {
          List<JsonObject> answer = refused.read(3000);
          assertThat(answer).extracting(f -> f.getInteger("errno")).as("the node really refuses").containsExactly(1017);
        }
        held.remove(held.size() - 1).close();
        long upMs = readyBecomes(node, true);
        try (ClassicClient room = new ClassicClient("127.0.0.1", node.port)) {
          room.register(ClassicClient.unique("room"));
          room.loginOk();
        }
        System.out.printf("probes: %d connections (1 logged in, %d idle) on a node whose cap is %d: not ready after %d ms (\"%s\"),"
            + " a new client refused 1017; one closed: ready again after %d ms and a new client logged in; live throughout%n",
            cap, cap - 1, cap, downMs, reason, upMs);
      } finally {
        for (AutoCloseable c : held) {
          c.close();
        }
      }
    }
  }
}
