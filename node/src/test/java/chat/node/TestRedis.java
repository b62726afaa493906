package chat.node;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis server of the test's own, on a free port, so tests may stop and start it without
 * touching the machine's shared one (which is also why CHAT_TEST_REDIS_URL is not used here: the
 * tests kill this server and its pub/sub clients). Where a Docker engine answers (and
 * CHAT_TEST_NO_DOCKER is not 1) it is a redis:7 container; otherwise a redis-server process,
 * which must be on the PATH (.ci/run installs it). One log line says which ran.
 */
final class TestRedis implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TestRedis.class);
  static final String IMAGE = "redis:7";
  private static final int REDIS_PORT = 6379;

  final int port;
  private final String host;
  private Process process;
  private GenericContainer<?> container;

  TestRedis() throws Exception {
    port = TestNode.freePort();
    if (TestDocker.usable()) {
      container = container(port);
      container.start();
      host = container.getHost();
      awaitPort();
    } else {
      host = "127.0.0.1";
      start();
    }
    String version = cli("INFO", "server").lines().filter(l -> l.startsWith("redis_version:"))
        .map(l -> l.substring("redis_version:".length()).trim()).findFirst().orElse("?");
    log.info("test redis: {}, server {}, on {}:{}{}", container != null ? "Testcontainers " + IMAGE : "local redis-server",
        version, host, port, container != null ? "" : "; " + TestDocker.whyNot());
  }

  /**
   * The host port is fixed rather than mapped at random, because a restarted container would get
   * a new one and the nodes under test must find Redis again at the address they were given.
   */
  @SuppressWarnings("resource") // closed by close(), or by Testcontainers' reaper if the JVM dies
  private static GenericContainer<?> container(int hostPort) {
    return new GenericContainer<>(DockerImageName.parse(IMAGE))
        .withCommand("redis-server", "--save", "", "--appendonly", "no")
        .withExposedPorts(REDIS_PORT)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
            new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(REDIS_PORT))));
  }

  static boolean available() {
    return TestDocker.usable()
        || new File("/usr/bin/redis-server").canExecute() || new File("/usr/local/bin/redis-server").canExecute();
  }

  String url() {
    return "redis://" + host + ":" + port;
  }

  void start() throws Exception {
    if (container != null) {
      DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
    } else {
      process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    }
    awaitPort();
  }

  private void awaitPort() throws Exception {
    Poll.until("redis on " + port, () -> {
      try (Socket s = new Socket(host, port)) {
        return true;
      } catch (IOException notYet) {
        return false;
      }
    });
  }

  /** Like a crash: the server goes away with everything it held. */
  void kill() throws Exception {
    if (container != null) {
      DockerClientFactory.instance().client().killContainerCmd(container.getContainerId()).exec();
    } else {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Runs one command with redis-cli and returns its output. */
  String cli(String... args) throws Exception {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "redis-cli";
    cmd[1] = "-p";
    cmd[2] = String.valueOf(container != null ? REDIS_PORT : port);
    System.arraycopy(args, 0, cmd, 3, args.length);
    if (container != null) {
      Container.ExecResult r = container.execInContainer(cmd);
      return (r.getStdout() + r.getStderr()).trim();
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() throws Exception {
    if (container != null) {
      container.stop();
    } else {
      kill();
    }
  }
}
