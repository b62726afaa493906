package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis stops and starts again (empty, as a restarted cache is): delivery resumes by itself. */
class RedisOutageIT {

  @Test
  void nodesServeLocalUsersDuringAnOutageAndCatchUpAfterIt() throws Exception {
    assumeTrue(TestRedis.available(), "redis-server not installed");
    try (TestRedis redis = new TestRedis();
        TestNode n1 = TestNode.start(new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "o1"));
        TestNode n2 = TestNode.start(new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "o2"))) {
      Health.awaitRedis(n1, "up");
      Health.awaitRedis(n2, "up");
      ClassicClient a = n1.connect().register(unique("oa"));
      ClassicClient local = n1.connect().register(unique("ol"));
      ClassicClient b = n2.connect().register(unique("ob"));
      a.loginOk();
      local.loginOk();
      b.loginOk();
      a.chat(b.id, "before");
      assertThat(b.next().getString("msg")).isEqualTo("before");

      redis.kill();
      Health.awaitRedis(n1, "down");
      JsonObject health = Health.of(n1);
      assertThat(health.getString("status")).isEqualTo("DEGRADED");
      assertThat(health.getInteger("code")).isEqualTo(200);

      a.chat(local.id, "local during outage");
      assertThat(local.next().getString("msg")).isEqualTo("local during outage");
      for (int i = 0; i < 5; i++) {
        a.chat(b.id, "during " + i);
      }
      Poll.until("stored", () -> Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b.id) == 6);

      long restarted = System.currentTimeMillis();
      redis.start();
      Health.awaitRedis(n1, "up");
      Health.awaitRedis(n2, "up");
      List<String> caughtUp = b.drain(3000).stream().map(f -> f.getString("msg")).toList();
      System.out.printf("redis restart: caught up %d messages within %d ms%n", caughtUp.size(), System.currentTimeMillis() - restarted);
      assertThat(caughtUp).containsExactly("during 0", "during 1", "during 2", "during 3", "during 4");

      a.chat(b.id, "after");
      assertThat(b.next().getString("msg")).isEqualTo("after");
      // the empty Redis learnt again who is online: the account is still in use cluster-wide
      try (ClassicClient again = n2.connect()) {
        again.id = a.id;
        again.password = a.password;
        assertThat(again.login().getInteger("errno")).isEqualTo(2);
      }
      a.close();
      local.close();
      b.close();
    }
  }
}
