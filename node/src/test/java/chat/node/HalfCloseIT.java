package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that pipelines a burst of messages and then half-closes or closes: as with a classic
 * server that reads to end of stream, every complete frame it sent is stored and delivered, even
 * those the gateway had read but not yet handled because too many requests were in flight.
 */
class HalfCloseIT {
  private static final int N = Integer.getInteger("halfclose.n", 5000);
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  @Test
  void framesSentBeforeAHalfCloseAreAllStoredAndDelivered() throws Exception {
    burstThen("half", ClassicClient::shutdownOutput);
  }

  @Test
  void framesSentBeforeACloseAreAllStoredAndDelivered() throws Exception {
    burstThen("close", ClassicClient::close);
  }

  private interface Ending {
    void end(ClassicClient c) throws Exception;
  }

  private static void burstThen(String tag, Ending ending) throws Exception {
    try (ClassicClient receiver = node.connect().register(unique("rcv-" + tag));
        ClassicClient sender = node.connect().register(unique("snd-" + tag))) {
      receiver.loginOk();
      sender.loginOk();
      // a burst of thousands can outrun the saved delivery mark: as a stranger the sender would
      // meet the backlog cap for strangers (refused with 1018, which this test does not read)
      receiver.addFriend(sender.id);
      Poll.until("friends", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ? AND friend_id = ?", receiver.id, sender.id) == 1);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < N; i++) {
        burst.write((new JsonObject().put("msgid", 6).put("id", sender.id).put("name", sender.name)
            .put("toid", receiver.id).put("msg", tag + "-" + i).put("time", "2020-01-01 00:00:00").encode() + "\0")
            .getBytes(StandardCharsets.UTF_8));
      }
      sender.sendRaw(burst.toByteArray());
      ending.end(sender);

      long stored = waitForStable(receiver.id);
      Set<String> got = new HashSet<>();
      long end = System.currentTimeMillis() + 30_000;
      while (got.size() < stored && System.currentTimeMillis() < end) {
        for (JsonObject f : receiver.drain(500)) {
          if (f.getInteger("msgid") == 6) {
            got.add(f.getString("msg"));
          }
        }
      }
      assertThat(N - stored).as("messages lost of %d (%s)", N, tag).isZero();
      assertThat(got).as("delivered to the online receiver").hasSize(N);
      // the sender's login ended once its last request was done: the account can log in again
      Poll.until("the sender signed off", () -> {
        try (ClassicClient again = node.connect()) {
          again.id = sender.id;
          again.password = sender.password;
          return again.login().getInteger("errno") == 0;
        }
      });
    }
  }

  /** The inbox count once it has stopped growing for two seconds (or reached N). */
  private static long waitForStable(int userId) throws Exception {
    long last = -1;
    long since = System.currentTimeMillis();
    long deadline = since + 120_000;
    while (System.currentTimeMillis() < deadline) {
      long now = Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", userId);
      if (now == N) {
        return now;
      }
      if (now != last) {
        last = now;
        since = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - since > 2000) {
        return now;
      }
      Thread.sleep(50);
    }
    return last;
  }
}
