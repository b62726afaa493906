package chat.node;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of the test's own, on a free port, so tests may stop and start it without
 * touching the machine's shared one. Needs redis-server on the PATH (.ci/run installs it).
 */
final class TestRedis implements AutoCloseable {
  final int port;
  private Process process;

  TestRedis() throws Exception {
    port = TestNode.freePort();
    start();
  }

  static boolean available() {
    return new File("/usr/bin/redis-server").canExecute() || new File("/usr/local/bin/redis-server").canExecute();
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  void start() throws Exception {
    process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    Poll.until("redis on " + port, () -> {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException notYet) {
        return false;
      }
    });
  }

  /** Like a crash: the server goes away with everything it held. */
  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Runs one command with redis-cli and returns its output. */
  String cli(String... args) throws Exception {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "redis-cli";
    cmd[1] = "-p";
    cmd[2] = String.valueOf(port);
    System.arraycopy(args, 0, cmd, 3, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() throws Exception {
    kill();
  }
}
