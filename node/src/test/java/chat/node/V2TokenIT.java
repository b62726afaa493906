package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Resume tokens (docs/protocol.md section 2): issued at login, accepted without bcrypt, revoked by logout and a password change. */
class V2TokenIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  private static JsonObject tokenLogin(V2Client c, String token) throws Exception {
    return c.call(new JsonObject().put("type", "login").put("token", token));
  }

  /** A token login from a fresh connection, retried while the last connection's end is still being reported (1011). */
  private static JsonObject reconnect(TestNode n, String token) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      V2Client c = new V2Client(n.port).hello();
      JsonObject reply = tokenLogin(c, token);
      c.close();
      if (reply.getBoolean("ok") || reply.getInteger("code") != 1011 || System.nanoTime() > until) {
        return reply;
      }
      Thread.sleep(50);
    }
  }

  private static long hashesRun(TestNode n) throws Exception {
    return Ask.chat(n, new chat.protocol.bus.ChatStatus()).hashes().run();
  }

  @Test
  void aPasswordLoginGivesATokenThatLogsInWithoutBcrypt() throws Exception {
    V2Client c = new V2Client(node.port).hello().register(unique("tk"));
    JsonObject login = c.login();
    String token = login.getString("token");
    assertThat(token).isNotBlank();
    Instant expires = Instant.parse(login.getString("expires"));
    assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7));
    c.close();
    long before = hashesRun(node);
    JsonObject again = reconnect(node, token);
    assertThat(again.getBoolean("ok")).as("%s", again).isTrue();
    assertThat(again.getInteger("user")).isEqualTo(c.user);
    assertThat(again.getString("name")).isEqualTo(c.name);
    assertThat(again.getString("token")).as("the same token comes back").isEqualTo(token);
    assertThat(again.getString("expires")).isEqualTo(login.getString("expires"));
    assertThat(hashesRun(node)).as("bcrypt runs for the token login").isEqualTo(before);
  }

  @Test
  void tamperedOrUnreadableTokensAreBadCredentialsAndDoNotLockTheAccount() throws Exception {
    V2Client c = new V2Client(node.port).hello().register(unique("tt"));
    String token = c.login().getString("token");
    c.close();
    String[] p = token.split("\\.");
    String otherUser = (c.user + 1) + "." + p[1] + "." + p[2] + "." + p[3];
    String longer = p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 1000) + "." + p[3];
    String badSig = p[0] + "." + p[1] + "." + p[2] + "." + (p[3].charAt(0) == 'A' ? 'B' : 'A') + p[3].substring(1);
    for (String bad : new String[] {otherUser, longer, badSig, "garbage", "1.2.3.4", "x".repeat(300)}) {
      try (V2Client v = new V2Client(node.port).hello()) {
        assertThat(tokenLogin(v, bad).getInteger("code")).as(bad).isEqualTo(1010);
      }
    }
    // more failures than CHAT_LOGIN_FREE_FAILURES, yet the owner's token and password still work
    assertThat(reconnect(node, token).getBoolean("ok")).isTrue();
    try (V2Client again = new V2Client(node.port).hello()) {
      again.user = c.user;
      again.password = c.password;
      Poll.until("the token session ended", () -> {
        JsonObject r = again.call(new JsonObject().put("type", "login").put("user", c.user).put("password", c.password));
        assertThat(r.getInteger("code", 0)).isIn(0, 1011);
        return r.getBoolean("ok");
      });
    }
  }

  @Test
  void logoutRevokesTheToken() throws Exception {
    try (V2Client c = new V2Client(node.port).hello().register(unique("tl"))) {
      String token = c.login().getString("token");
      c.ok(new JsonObject().put("type", "logout"));
      try (V2Client v = new V2Client(node.port).hello()) {
        assertThat(tokenLogin(v, token).getInteger("code")).isEqualTo(1010);
      }
    }
  }

  @Test
  void aTokenLoginsLogoutRevokesIt() throws Exception {
    V2Client c = new V2Client(node.port).hello().register(unique("tr"));
    String token = c.login().getString("token");
    c.close();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try (V2Client v = new V2Client(node.port).hello()) {
      JsonObject r;
      do {
        r = tokenLogin(v, token);
      } while (!r.getBoolean("ok") && r.getInteger("code") == 1011 && System.nanoTime() < until && sleep());
      assertThat(r.getBoolean("ok")).as("%s", r).isTrue();
      v.ok(new JsonObject().put("type", "logout"));
      assertThat(tokenLogin(v, token).getInteger("code")).isEqualTo(1010);
    }
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }

  @Test
  void aPasswordChangeRevokesEveryTokenAndTheNewPasswordWorks() throws Exception {
    V2Client c = new V2Client(node.port).hello().register(unique("tp"));
    String first = c.login().getString("token");
    assertThat(c.call(new JsonObject().put("type", "password").put("old", "wrong").put("new", "n1")).getInteger("code"))
        .isEqualTo(1010);
    assertThat(c.call(new JsonObject().put("type", "password").put("old", c.password).put("new", "")).getInteger("code"))
        .isEqualTo(1013);
    long before = hashesRun(node);
    JsonObject changed = c.ok(new JsonObject().put("type", "password").put("old", c.password).put("new", "new-pw"));
    assertThat(hashesRun(node) - before).as("checks the old, hashes the new").isEqualTo(2);
    String fresh = changed.getString("token");
    assertThat(fresh).isNotBlank().isNotEqualTo(first);
    c.close();
    try (V2Client v = new V2Client(node.port).hello()) {
      assertThat(tokenLogin(v, first).getInteger("code")).isEqualTo(1010);
    }
    assertThat(reconnect(node, fresh).getBoolean("ok")).as("the token given with the change").isTrue();
    try (V2Client v = new V2Client(node.port).hello()) {
      v.user = c.user;
      assertThat(v.call(new JsonObject().put("type", "login").put("user", c.user).put("password", c.password))
          .getInteger("code")).isEqualTo(1010);
      v.password = "new-pw";
      Poll.until("the token session ended", () -> {
        JsonObject r = v.call(new JsonObject().put("type", "login").put("user", c.user).put("password", "new-pw"));
        assertThat(r.getInteger("code", 0)).isIn(0, 1011);
        return r.getBoolean("ok");
      });
    }
    try (V2Client v = new V2Client(node.port).hello()) {
      assertThat(v.call(new JsonObject().put("type", "password").put("old", "a").put("new", "b")).getInteger("code"))
          .isEqualTo(1006);
    }
  }

  /** The key lives in the database: a token outlives the node that issued it; a short CHAT_TOKEN_TTL_MS expires. */
  @Test
  void aTokenWorksAfterANodeRestartAndExpires() throws Exception {
    TestNode first = TestNode.start();
    TestNode second = null;
    try {
      V2Client c = new V2Client(first.port).hello().register(unique("tn"));
      String token = c.login().getString("token");
      c.close();
      first.close();
      first = null;
      second = TestNode.start(new JsonObject().put("CHAT_TOKEN_TTL_MS", 1000));
      long before = hashesRun(second);
      JsonObject again = reconnect(second, token);
      assertThat(again.getBoolean("ok")).as("%s", again).isTrue();
      assertThat(hashesRun(second)).isEqualTo(before);
      String shortLived;
      try (V2Client v = new V2Client(second.port).hello()) {
        v.user = c.user;
        v.password = c.password;
        JsonObject login;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
          login = v.call(new JsonObject().put("type", "login").put("user", c.user).put("password", c.password));
        } while (!login.getBoolean("ok") && login.getInteger("code") == 1011 && System.nanoTime() < until && sleep());
        assertThat(login.getBoolean("ok")).as("%s", login).isTrue();
        shortLived = login.getString("token");
        assertThat(Duration.between(Instant.now(), Instant.parse(login.getString("expires")))).isLessThanOrEqualTo(Duration.ofSeconds(1));
      }
      Thread.sleep(1200);
      JsonObject expired = reconnect(second, shortLived);
      assertThat(expired.getInteger("code")).as("%s", expired).isEqualTo(1010);
    } finally {
      TestNode.closeAll(first, second);
    }
  }
}
