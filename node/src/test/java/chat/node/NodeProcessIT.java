package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runnable jar as users run it: start, serve, SIGTERM signs users off and saves state. */
class NodeProcessIT {

  private Process startNode(int tcp, int http, File log) throws Exception {
    TestDatabase db = TestDatabase.get();
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", new File("target/chat-node.jar").getAbsolutePath())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    db.nodeEnvironment(pb.environment(), tcp, http);
    Process p = pb.start();
    HttpClient client = HttpClient.newHttpClient();
    Poll.until("/health", () -> {
      assertThat(p.isAlive()).as("node process alive, see %s", log).isTrue();
      try {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
      } catch (java.io.IOException notYet) {
        return false;
      }
    });
    return p;
  }

  @Test
  void sigtermSignsUsersOffAndKeepsTheirDeliveryState() throws Exception {
    int tcp = TestNode.freePort();
    File log = new File("target/node-process-it.log");
    Process p = startNode(tcp, TestNode.freePort(), log);
    ClassicClient a = new ClassicClient("127.0.0.1", tcp).register(unique("ta"));
    ClassicClient b = new ClassicClient("127.0.0.1", tcp).register(unique("tb"));
    try {
      a.loginOk();
      b.loginOk();
      a.chat(b.id, "before shutdown");
      assertThat(b.next().getString("msg")).isEqualTo("before shutdown");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      assertThat(Files.readString(log.toPath())).contains("signing users off", "stopped");
      assertThat(a.awaitClosed()).isTrue();
      assertThat(b.awaitClosed()).isTrue();
      assertThat(Poll.number("SELECT seq FROM delivered WHERE user_id = ?", b.id)).isEqualTo(1);
    } finally {
      p.destroyForcibly();
      a.close();
      b.close();
    }

    int tcp2 = TestNode.freePort();
    Process again = startNode(tcp2, TestNode.freePort(), log);
    try (ClassicClient a2 = new ClassicClient("127.0.0.1", tcp2); ClassicClient b2 = new ClassicClient("127.0.0.1", tcp2)) {
      a2.id = a.id;
      a2.password = a.password;
      b2.id = b.id;
      b2.password = b.password;
      a2.loginOk();
      assertThat(decoded(b2.loginOk(), "offlinemsg")).as("already delivered before the restart").isEmpty();
    } finally {
      again.destroy();
      again.waitFor(20, TimeUnit.SECONDS);
      again.destroyForcibly();
    }
  }
}
