package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import chat.node.TerminalClientIT.Typist;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The terminal client's default, protocol v2, typed into two clients against a node this test
 * owns: replies to every command, a friend request accepted, receipts, a group, a refused
 * message with the server's words, and a restart of the node on the same port during which the
 * clients reconnect by themselves and show every message exactly once.
 */
class TerminalClientV2IT {
  private static final String STRANGER = "999999999";

  @Test
  void twoV2ClientsChatAndLiveThroughANodeRestart() throws Exception {
    int port = TestNode.freePort();
    TestNode node = TestNode.startOn(port, new JsonObject());
    String s = UUID.randomUUID().toString().substring(0, 6);
    try (Typist alice = new Typist(port, false); Typist bob = new Typist(port, false)) {
      alice.type("2", "", "pw");
      alice.await("invalid name");
      alice.type("2", "alice-" + s, "pw-a");
      String aliceId = alice.await("alice-" + s + " register success, userid is (\\d+)");
      bob.type("2", "bob-" + s, "pw-b");
      String bobId = bob.await("bob-" + s + " register success, userid is (\\d+)");
      bob.type("2", "bob-" + s, "pw-b");
      bob.await("register bob-" + s + " failed: .*\\(1012\\)");
      alice.type("1", aliceId, "pw-a");
      alice.await("current login user => id:" + aliceId);
      bob.type("1", bobId, "pw-b");
      bob.await("current login user => id:" + bobId);

      alice.type("addfriend:" + bobId);
      alice.await("friend request sent to \\[" + bobId + "\\]");
      bob.await("\\[" + aliceId + "\\]alice-" + s + " asks to be your friend: type accept:" + aliceId);
      bob.type("accept:" + aliceId);
      bob.await("you and \\[" + aliceId + "\\] are friends now");
      alice.await("\\[" + bobId + "\\]bob-" + s + " accepted: you are friends now");

      alice.type("chat:" + bobId + ":你好 bob");
      String first = alice.await("sent to \\[" + bobId + "\\] as #(\\d+)");
      bob.await("\\[" + aliceId + "\\]alice-" + s + " said: 你好 bob");
      alice.await("\\[" + bobId + "\\]bob-" + s + " received your messages up to #" + first);
      alice.await("\\[" + bobId + "\\]bob-" + s + " read your messages up to #" + first);
      bob.type("chat:" + aliceId + ":hi alice");
      alice.await("\\[" + bobId + "\\]bob-" + s + " said: hi alice");
      bob.await("\\[" + aliceId + "\\]alice-" + s + " read your messages up to #");

      bob.type("creategroup:team:our team");
      String group = bob.await("created group (\\d+) \\(team\\)");
      alice.type("addgroup:" + group);
      alice.await("joined group " + group);
      bob.await("group\\[" + group + "\\]: \\[" + aliceId + "\\]alice-" + s + " joined as member");
      alice.type("groupchat:" + group + ":hello team");
      bob.await("group\\[" + group + "\\]: .*alice-" + s + " said: hello team");
      alice.type("chat:" + STRANGER + ":hi");
      alice.await("message to \\[" + STRANGER + "\\] failed: no such user.*\\(1008\\)");

      long stoppedAt = System.currentTimeMillis();
      node.close();
      alice.await("connection to the server lost; reconnecting by itself");
      bob.await("connection to the server lost; reconnecting by itself");
      alice.type("chat:" + bobId + ":while you were away");
      alice.await("will be sent when the connection is back");
      Thread.sleep(1500); // down long enough for attempts to fail and back off
      node = TestNode.startOn(port, new JsonObject());
      long startedAt = System.currentTimeMillis();
      String aliceBack = alice.await("reconnected after ([0-9.]+) s", 30_000);
      String bobBack = bob.await("reconnected after ([0-9.]+) s", 30_000);
      bob.await("said: while you were away");
      alice.await("sent to \\[" + bobId + "\\] as #\\d+");
      alice.type("chat:" + bobId + ":after the restart");
      bob.await("said: after the restart");
      bob.type("chat:" + aliceId + ":back too");
      alice.await("said: back too");
      System.out.printf("[terminal-v2] node down %d ms; clients back %s s / %s s after the loss, %d ms after the node was up%n",
          startedAt - stoppedAt, aliceBack, bobBack, System.currentTimeMillis() - startedAt);
      Thread.sleep(1000); // room for a duplicate to show, were there one
      java.nio.file.Files.writeString(java.nio.file.Path.of("target/terminal-v2-alice.txt"), alice.screen());
      java.nio.file.Files.writeString(java.nio.file.Path.of("target/terminal-v2-bob.txt"), bob.screen());

      for (String text : new String[] {"said: 你好 bob", "said: hello team", "said: while you were away", "said: after the restart"}) {
        assertThat(bob.count(text)).as("bob sees '%s' once:%n%s", text, bob.screen()).isEqualTo(1);
      }
      for (String text : new String[] {"said: hi alice", "said: back too"}) {
        assertThat(alice.count(text)).as("alice sees '%s' once:%n%s", text, alice.screen()).isEqualTo(1);
      }
      assertThat(alice.count("as #")).as("each send confirmed once:%n%s", alice.screen()).isEqualTo(4);

      bob.type("loginout");
      alice.await("friend \\[" + bobId + "\\]bob-" + s + " is offline");
      alice.type("chat:" + bobId + ":are you there?");
      Poll.until("the stored message confirmed", () -> alice.count("as #") == 5);
      bob.type("1", bobId, "pw-b");
      bob.await("said: are you there\\?");
      Thread.sleep(300);
      assertThat(bob.count("said: are you there?")).as("the stored message, once, at the next login").isEqualTo(1);
      assertThat(bob.count("said: after the restart")).as("what was acked is not shown again at login").isEqualTo(1);
      bob.type("history:" + aliceId);
      bob.await("#\\d+ .*said: are you there\\?\\s");
      bob.type("quit");
      assertThat(bob.exit.get(10, TimeUnit.SECONDS)).isZero();
      alice.type("loginout", "3");
      assertThat(alice.exit.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(alice.screen() + bob.screen()).as("leaving is not the server's doing").doesNotContain("closed by the server");
    } finally {
      node.close();
    }
  }
}
