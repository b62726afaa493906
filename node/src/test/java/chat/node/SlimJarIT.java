package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** chat-node-slim.jar, the image's jar: no embedded MariaDB, so a database server or a one-line refusal. */
class SlimJarIT {
  private static final File SLIM = new File("target/chat-node-slim.jar");

  @Test
  void carriesNoMariadbAndIsAFractionOfTheFullJar() throws Exception {
    try (ZipFile jar = new ZipFile(SLIM)) {
      assertThat(jar.stream().filter(e -> e.getName().startsWith("ch/vorburger/")).count()).isZero();
      assertThat(jar.getEntry("chat/node/Main.class")).isNotNull();
    }
    assertThat(SLIM.length()).isLessThan(new File("target/chat-node.jar").length() / 3);
  }

  @Test
  void withoutADatabaseServerItRefusesInOneLine() throws Exception {
    Process p = new ProcessBuilder("java", "-jar", SLIM.getAbsolutePath()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out.lines()).singleElement().asString()
        .endsWith("bad configuration: CHAT_DB_HOST must be set: this build carries no embedded MariaDB (chat-node.jar does)");
  }

  @Test
  void withADatabaseServerItServes() throws Exception {
    int tcp = TestNode.freePort();
    Map<String, String> env = new HashMap<>();
    TestDatabase.get().nodeEnvironment(env, tcp, TestNode.freePort());
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", SLIM.getAbsolutePath())
        .redirectErrorStream(true).redirectOutput(new File("target/slim-jar-it.log"));
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      long end = System.currentTimeMillis() + 120_000;
      while (!java.nio.file.Files.readString(new File("target/slim-jar-it.log").toPath()).contains("started in")) {
        assertThat(p.isAlive()).as("slim node alive, see target/slim-jar-it.log").isTrue();
        assertThat(System.currentTimeMillis()).isLessThan(end);
        Thread.sleep(100);
      }
      try (ClassicClient a = new ClassicClient("127.0.0.1", tcp).register(ClassicClient.unique("slim"))) {
        assertThat(a.loginOk().getInteger("errno")).isZero();
      }
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
