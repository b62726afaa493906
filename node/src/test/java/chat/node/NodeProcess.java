package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/chat-node.jar} with stdout and stderr in files of their own, for the tests of what it prints. */
final class NodeProcess implements AutoCloseable {
  final Process process;
  final File out;
  final File err;

  private NodeProcess(Process process, File out, File err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** {@code name}: target/NAME.out and target/NAME.err. */
  static NodeProcess start(String name, Map<String, String> env, String... args) throws Exception {
    File out = new File("target/" + name + ".out");
    File err = new File("target/" + name + ".err");
    List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", new File("target/chat-node.jar").getAbsolutePath()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.to(out))
        .redirectError(ProcessBuilder.Redirect.to(err));
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    pb.environment().putAll(env);
    return new NodeProcess(pb.start(), out, err);
  }

  /** Until stdout has a line containing {@code text}; a node start takes tens of seconds on a busy machine. */
  void awaitOut(String text) throws Exception {
    long end = System.currentTimeMillis() + 120_000;
    while (!Files.readString(out.toPath()).contains(text)) {
      assertThat(process.isAlive()).as("node alive, see %s", out).isTrue();
      assertThat(System.currentTimeMillis()).as("'%s' within 120 s, see %s", text, out).isLessThan(end);
      Thread.sleep(100);
    }
  }

  int exitCode() throws Exception {
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited, see %s", out).isTrue();
    return process.exitValue();
  }

  List<String> outLines() throws Exception {
    return Files.readAllLines(out.toPath()).stream().filter(l -> !l.isBlank()).toList();
  }

  List<String> errLines() throws Exception {
    return Files.readAllLines(err.toPath()).stream().filter(l -> !l.isBlank()).toList();
  }

  /** SIGTERM, then what is left after 30 s is killed. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
