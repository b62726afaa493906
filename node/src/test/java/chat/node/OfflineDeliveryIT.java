package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Stored-then-delivered: nothing lost, nothing twice, in order, however the login races. */
class OfflineDeliveryIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  /** Everything the recipient got: the login ack's offline list, then the frames after it. */
  private static List<String> received(JsonObject ack, List<JsonObject> after) {
    List<String> all = new ArrayList<>();
    decoded(ack, "offlinemsg").forEach(f -> all.add(f.getString("msg")));
    after.forEach(f -> all.add(f.getString("msg")));
    return all;
  }

  @Test
  void offlineMessagesBeyondOnePageFollowTheAckInOrder() throws Exception {
    try (ClassicClient a = node.connect().register(unique("pa")); ClassicClient b = node.connect().register(unique("pb"))) {
      a.loginOk();
      for (int i = 0; i < 12; i++) {
        a.chat(b.id, "m" + i);
      }
      Poll.until("stored", () -> Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b.id) == 12);
      JsonObject ack = b.loginOk();
      assertThat(decoded(ack, "offlinemsg")).hasSize(5); // CHAT_OFFLINE_PAGE=5 in tests
      List<String> all = received(ack, b.drain(500));
      assertThat(all).containsExactlyElementsOf(IntStream.range(0, 12).mapToObj(i -> "m" + i).toList());
    }
  }

  @RepeatedTest(3)
  void messagesSentWhileTheRecipientLogsInArriveExactlyOnceInOrder() throws Exception {
    int total = 300;
    try (ClassicClient a = node.connect().register(unique("ra")); ClassicClient b = node.connect().register(unique("rb"))) {
      a.loginOk();
      CountDownLatch halfway = new CountDownLatch(1);
      Thread sender = new Thread(() -> {
        try {
          for (int i = 0; i < total; i++) {
            a.chat(b.id, "n" + i);
            if (i == total / 3) {
              halfway.countDown();
            }
            if (i % 10 == 0) {
              Thread.sleep(1);
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      sender.start();
      halfway.await();
      JsonObject ack = b.loginOk();
      sender.join();
      Poll.until("all stored", () -> Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b.id) == total);
      List<String> all = received(ack, b.drain(700));
      assertThat(all).containsExactlyElementsOf(IntStream.range(0, total).mapToObj(i -> "n" + i).toList());
    }
  }

  @Test
  void concurrentSendersGiveTheRecipientAGapFreeSequence() throws Exception {
    int senders = 5;
    int each = 40;
    ClassicClient b = node.connect().register(unique("seq"));
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    List<Future<?>> done = new ArrayList<>();
    List<ClassicClient> clients = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      ClassicClient a = node.connect().register(unique("s" + s));
      a.loginOk();
      clients.add(a);
      int sid = s;
      done.add(pool.submit(() -> {
        for (int i = 0; i < each; i++) {
          a.chat(b.id, sid + ":" + i);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    int total = senders * each;
    Poll.until("stored", () -> Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b.id) == total);
    assertThat(Poll.number("SELECT MIN(seq) FROM inbox WHERE user_id = ?", b.id)).isEqualTo(1);
    assertThat(Poll.number("SELECT MAX(seq) FROM inbox WHERE user_id = ?", b.id)).isEqualTo(total);
    assertThat(Poll.number("SELECT COUNT(DISTINCT message_id) FROM inbox WHERE user_id = ?", b.id)).isEqualTo(total);
    assertThat(Poll.number("SELECT last_seq FROM users WHERE id = ?", b.id)).isEqualTo(total);

    JsonObject ack = b.loginOk();
    List<String> all = received(ack, b.drain(700));
    assertThat(all).hasSize(total).doesNotHaveDuplicates();
    for (int s = 0; s < senders; s++) {
      String prefix = s + ":";
      assertThat(all.stream().filter(m -> m.startsWith(prefix)).toList())
          .as("sender %d's order", s)
          .containsExactlyElementsOf(IntStream.range(0, each).mapToObj(i -> prefix + i).toList());
    }
    b.close();
    for (ClassicClient c : clients) {
      c.close();
    }
  }
}
