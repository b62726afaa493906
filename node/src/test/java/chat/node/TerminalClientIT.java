package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's walkthrough, typed into two terminal clients (--classic) against a real node. */
class TerminalClientIT {

  /** One terminal client on piped streams: what is typed in, what it printed. */
  static final class Typist implements AutoCloseable {
    final PipedOutputStream keys = new PipedOutputStream();
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exit;

    Typist(int port) throws Exception {
      this(port, true);
    }

    Typist(int port, boolean classic) throws Exception {
      PipedInputStream in = new PipedInputStream(keys, 65536);
      OutputStream out = new OutputStream() {
        @Override
        public void write(int b) {
          synchronized (screen) {
            screen.write(b);
          }
        }
      };
      exit = CompletableFuture.supplyAsync(() -> {
        try {
          return ChatClient.run(classic, "127.0.0.1", port, in, out);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }

    Typist type(String... lines) throws Exception {
      for (String line : lines) {
        keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keys.flush();
        Thread.sleep(50);
      }
      return this;
    }

    String screen() {
      synchronized (screen) {
        return screen.toString(StandardCharsets.UTF_8);
      }
    }

    String await(String regex) throws Exception {
      return await(regex, 10_000);
    }

    String await(String regex, long timeoutMs) throws Exception {
      Pattern p = Pattern.compile(regex);
      long end = System.currentTimeMillis() + timeoutMs;
      while (System.currentTimeMillis() < end) {
        Matcher m = p.matcher(screen());
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : m.group();
        }
        Thread.sleep(20);
      }
      throw new AssertionError("screen never showed /" + regex + "/:\n" + screen());
    }

    /** How often the screen shows {@code text}. */
    int count(String text) {
      return screen().split(Pattern.quote(text), -1).length - 1;
    }

    @Override
    public void close() throws Exception {
      keys.close();
    }
  }

  @Test
  void twoUsersChatAsTheWalkthroughSays() throws Exception {
    int port = TestNode.shared().port;
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    try (Typist alice = new Typist(port); Typist bob = new Typist(port)) {
      alice.type("2", "", "pw");
      alice.await("invalid name");
      alice.type("2", "alice-" + suffix, "pw-a");
      String aliceId = alice.await("alice-" + suffix + " register success, userid is (\\d+)");
      bob.type("2", "bob-" + suffix, "pw-b");
      String bobId = bob.await("bob-" + suffix + " register success, userid is (\\d+)");

      alice.type("1", aliceId, "pw-a");
      alice.await("current login user => id:" + aliceId);
      bob.type("1", bobId, "pw-b");
      bob.await("current login user => id:" + bobId);

      alice.type("addfriend:" + bobId, "chat:" + bobId + ":你好 bob");
      bob.await("\\[" + aliceId + "\\]alice-" + suffix + " said: 你好 bob");

      bob.type("addfriend:" + aliceId); // presence by consent: alice sees bob online once each added the other
      bob.type("help");
      bob.await("groupchat:groupid:msg");
      bob.type("loginout");
      Thread.sleep(300);
      alice.type("chat:" + bobId + ":are you there?");
      Thread.sleep(300);
      bob.type("1", bobId, "pw-b");
      bob.await("said: are you there\\?");
      alice.type("loginout", "1", aliceId, "pw-a");
      alice.await(bobId + " bob-" + suffix + " online"); // the friend list, at the next login

      bob.type("loginout", "3");
      assertThat(bob.exit.get(10, TimeUnit.SECONDS)).isZero();
      alice.type("loginout", "3");
      assertThat(alice.exit.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(alice.screen() + bob.screen()).as("leaving is not the server's doing").doesNotContain("closed by the server");
    }
  }
}
