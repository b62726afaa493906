package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hardening 2, attack 2: guesses from one address used to lock the account for everyone, its
 * owner included, for as long as one guess per window kept it locked. Now the backoff is per
 * (account, address): the attacker's address is refused, the owner's is not.
 */
class LockoutIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()); // the default limits: 3 free failures, 1 s doubling to 300 s
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  @Test
  void guessesFromOneAddressNeverLockTheOwnerOutFromAnother() throws Exception {
    ClassicClient owner;
    try (ClassicClient registered = node.connect().register(unique("owner"))) {
      owner = registered;
    }
    int wrong = 0;
    int refused = 0;
    try (ClassicClient attacker = new ClassicClient("127.0.0.1", node.port, "127.0.0.2")) {
      attacker.id = owner.id;
      attacker.password = "not-it";
      for (int i = 0; i < 12; i++) {
        JsonObject ack = attacker.login();
        assertThat(ack.getInteger("errno")).as("guess %d: %s", i, ack).isNotZero();
        if (ack.getString("errmsg", "").startsWith("too many")) {
          refused++;
        } else {
          wrong++;
        }
      }
      // the attack happened: its guesses were checked until its pair backed off, then refused
      assertThat(wrong).as("guesses checked").isGreaterThanOrEqualTo(3);
      assertThat(refused).as("guesses refused once the pair backed off").isPositive();

      for (int round = 0; round < 2; round++) {
        try (ClassicClient home = new ClassicClient("127.0.0.1", node.port, "127.0.0.3")) {
          home.id = owner.id;
          home.password = owner.password;
          long start = System.nanoTime();
          JsonObject ack = home.login();
          long ms = (System.nanoTime() - start) / 1_000_000;
          assertThat(ack.getInteger("errno")).as("round %d: the owner logs in from another address: %s", round, ack).isZero();
          assertThat(ms).as("at once, not after a window").isLessThan(2_000);
          home.logout();
        }
        // one more guess per round keeps the attacker's pair locked, and nothing else
        assertThat(attacker.login().getInteger("errno")).isNotZero();
      }
    }
  }
}
