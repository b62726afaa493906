package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot path hands a message to a recipient on the sender's own gateway without asking chat.
 * One gateway instance, so sender, recipient and intruder always share it.
 */
class DirectDeliveryIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    // a slow password check keeps a refused login in flight long enough to send through it
    node = TestNode.start(new JsonObject().put("CHAT_GATEWAY_INSTANCES", 1).put("CHAT_BCRYPT_COST", 12));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  @Test
  void aLoginThatChatRefusesNeverDivertsTheDeliveriesOfTheOneHoldingTheAccount() throws Exception {
    try (ClassicClient a = node.connect().register(unique("da")); ClassicClient b = node.connect().register(unique("db"));
        ClassicClient intruder = node.connect()) {
      a.loginOk();
      b.loginOk();
      a.chat(b.id, "before");
      assertThat(b.poll(5_000)).as("the first message, live").isNotNull();
      for (int round = 0; round < 3; round++) {
        intruder.id = b.id;
        intruder.password = b.password; // right password, account in use: refused after the check
        CompletableFuture<JsonObject> refused = CompletableFuture.supplyAsync(() -> {
          try {
            return intruder.login();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        Thread.sleep(30); // the intruder's login is bound on the gateway, its password being checked
        a.chat(b.id, "during " + round);
        JsonObject live = b.poll(1_000);
        assertThat(live).as("round %d: the message reaches the holder while the intruder waits", round).isNotNull();
        assertThat(live.getString("msg")).isEqualTo("during " + round);
        assertThat(refused.get().getInteger("errno")).as("the intruder is refused").isNotZero();
      }
      a.chat(b.id, "after");
      List<JsonObject> rest = b.drain(1_000);
      assertThat(rest).extracting(f -> f.getString("msg")).containsExactly("after");
    }
  }
}
