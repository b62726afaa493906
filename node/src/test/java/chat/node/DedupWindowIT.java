package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CHAT_DEDUP_WINDOW_MS against the real database: a resend inside the window is the same
 * message, one after the purge is a new one, and one purge forgets at most its batch.
 * Each test runs a node of its own, so no other node's purge runs meanwhile.
 */
class DedupWindowIT {

  private static JsonObject sendAs(V2Client from, V2Client to, String cmid) throws Exception {
    return from.send(to.user, cmid, "text of " + cmid);
  }

  private static int purgeOnce(TestNode node) throws Exception {
    return Ask.store(node, new chat.protocol.bus.CmidPurge()).forgotten();
  }

  /**
   * The suite's database holds other tests' cmids, all older than these windows, and a purge
   * takes the oldest first: forget them, so that what a purge takes here is this test's. The
   * suite runs one test at a time, so none of them is still resending.
   */
  private static void forgetOtherTestsCmids() throws Exception {
    try (java.sql.Connection c = TestDatabase.get().jdbc(); java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE messages SET client_msg_id = NULL WHERE client_msg_id IS NOT NULL");
    }
  }

  private static long remembered(V2Client sender) throws Exception {
    return Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ? AND client_msg_id IS NOT NULL", sender.user);
  }

  @Test
  void aPurgeForgetsAtMostItsBatchAndOnlyWhatLeftTheWindow() throws Exception {
    int batch = 3;
    long windowMs = 2000;
    // the periodic purge never fires here: the test runs each purge itself
    TestNode node = TestNode.start(new JsonObject().put("CHAT_DEDUP_WINDOW_MS", windowMs)
        .put("CHAT_DEDUP_PURGE_BATCH", batch).put("CHAT_DEDUP_PURGE_MS", 86_400_000));
    forgetOtherTestsCmids();
    try (V2Client alice = V2Client.online(node.port, "dwa"); V2Client bob = V2Client.online(node.port, "dwb")) {
      JsonObject first = sendAs(alice, bob, "c-1");
      assertThat(first.getBoolean("duplicate")).isFalse();
      for (int i = 2; i <= 8; i++) {
        sendAs(alice, bob, "c-" + i);
      }
      assertThat(purgeOnce(node)).as("nothing has left the window yet").isZero();
      JsonObject resend = sendAs(alice, bob, "c-1");
      assertThat(resend.getBoolean("duplicate")).as("resend inside the window: %s", resend).isTrue();
      assertThat(resend.getLong("messageId")).isEqualTo(first.getLong("messageId"));
      assertThat(remembered(alice)).isEqualTo(8);

      Thread.sleep(windowMs + 2000); // past the window, and past the second the store rounds to
      List<Integer> runs = new ArrayList<>();
      int forgotten;
      do {
        forgotten = purgeOnce(node);
        runs.add(forgotten);
        assertThat(forgotten).as("one purge of batch %d: %s", batch, runs).isLessThanOrEqualTo(batch);
        assertThat(runs.size()).as("runs %s", runs).isLessThan(100);
      } while (forgotten == batch);
      System.out.printf("DedupWindowIT: purges of batch %d forgot %s%n", batch, runs);
      assertThat(runs).as("8 expired cmids need three purges of 3").startsWith(3, 3);
      assertThat(runs.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
      assertThat(remembered(alice)).isZero();

      JsonObject anew = sendAs(alice, bob, "c-1");
      assertThat(anew.getBoolean("duplicate")).as("resend after the purge: %s", anew).isFalse();
      assertThat(anew.getLong("messageId")).isNotEqualTo(first.getLong("messageId"));
      JsonObject again = sendAs(alice, bob, "c-1");
      assertThat(again.getBoolean("duplicate")).as("and the new one is remembered in turn").isTrue();
      assertThat(again.getLong("messageId")).isEqualTo(anew.getLong("messageId"));
    } finally {
      node.close();
    }
  }

  @Test
  void thePeriodicPurgeForgetsExpiredCmidsByItself() throws Exception {
    TestNode node = TestNode.start(new JsonObject().put("CHAT_DEDUP_WINDOW_MS", 1000)
        .put("CHAT_DEDUP_PURGE_BATCH", 100).put("CHAT_DEDUP_PURGE_MS", 200));
    forgetOtherTestsCmids();
    try (V2Client alice = V2Client.online(node.port, "dpa"); V2Client bob = V2Client.online(node.port, "dpb")) {
      long sent = System.currentTimeMillis();
      JsonObject first = sendAs(alice, bob, "p-1");
      JsonObject resend = sendAs(alice, bob, "p-1");
      assertThat(resend.getBoolean("duplicate")).as("inside the window: %s", resend).isTrue();
      assertThat(resend.getLong("messageId")).isEqualTo(first.getLong("messageId"));
      Poll.until("cmid forgotten", () -> remembered(alice) == 0);
      long forgottenAfter = System.currentTimeMillis() - sent;
      System.out.printf("DedupWindowIT: window 1000 ms, cmid forgotten by the periodic purge after %d ms%n", forgottenAfter);
      assertThat(forgottenAfter).as("never before the window").isGreaterThanOrEqualTo(1000);
      JsonObject anew = sendAs(alice, bob, "p-1");
      assertThat(anew.getBoolean("duplicate")).isFalse();
      assertThat(anew.getLong("messageId")).isNotEqualTo(first.getLong("messageId"));
    } finally {
      node.close();
    }
  }
}
