package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node started with few file descriptors (ulimit -n 400) and more clients than that: the
 * connection cap, derived from the limit, refuses the extra ones with 1017 while /health, the
 * database and the users already connected keep working, and the log does not fill with
 * "Too many open files".
 */
class FileLimitIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theConnectionCapStaysBelowTheFileLimit() throws Exception {
    TestDatabase db = TestDatabase.get();
    int tcp = TestNode.freePort();
    int http = TestNode.freePort();
    File log = new File("target/file-limit-it.log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", "ulimit -n 400 && exec \"$0\" -Xmx256m -jar \"$1\"",
        java, new File("target/chat-node.jar").getAbsolutePath())
        .redirectErrorStream(true).redirectOutput(log);
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    TestDatabase.generousLimits().forEach(e -> pb.environment().put(e.getKey(), String.valueOf(e.getValue())));
    db.nodeEnvironment(pb.environment(), tcp, http);
    Process p = pb.start();
    List<RawClient> crowd = new ArrayList<>();
    try {
      Poll.until("/health", () -> p.isAlive() && health(http) == 200);
      ClassicClient a = new ClassicClient("127.0.0.1", tcp).register(unique("fa"));
      ClassicClient b = new ClassicClient("127.0.0.1", tcp).register(unique("fb"));
      a.loginOk();
      b.loginOk();
      int refused = 0;
      for (int i = 0; i < 500; i++) {
        crowd.add(new RawClient(tcp));
      }
      for (RawClient c : crowd) {
        List<JsonObject> frames = c.read(c == crowd.get(0) ? 1000 : 5);
        if (!frames.isEmpty()) {
          assertThat(frames.get(0).getInteger("errno")).isEqualTo(1017);
          refused++;
        }
      }
      System.out.printf("FileLimitIT: 500 connections over a 400-descriptor limit: %d refused with 1017%n", refused);
      assertThat(refused).isGreaterThan(300);
      assertThat(health(http)).as("/health answers with the cap reached").isEqualTo(200);
      a.chat(b.id, "over the limit");
      assertThat(b.next().getString("msg")).isEqualTo("over the limit");
      for (RawClient c : crowd) {
        c.close();
      }
      crowd.clear();
      Thread.sleep(500);
      try (ClassicClient later = new ClassicClient("127.0.0.1", tcp)) {
        later.register(unique("fl"));
      }
      // a burst of refused connections can still briefly use every descriptor between the accept
      // and the close; Netty then logs it once and stops accepting for a second, so it stays rare
      long traces = Files.readString(log.toPath()).lines().filter(l -> l.contains("Too many open files")).count();
      System.out.printf("FileLimitIT: %d 'Too many open files' lines in the log%n", traces);
      assertThat(traces).isLessThanOrEqualTo(3);
      a.close();
      b.close();
    } finally {
      for (RawClient c : crowd) {
        c.close();
      }
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  private static int health(int port) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
