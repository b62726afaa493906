package chat.node;

import org.testcontainers.DockerClientFactory;

/**
 * Whether the suite's database and Redis run in containers. Asked once per JVM: Testcontainers
 * looks for an engine (environment, socket, config file) and fails fast when there is none, so
 * machines without Docker pay a few milliseconds and never try to pull an image.
 */
final class TestDocker {
  private static Boolean usable;
  private static String why;

  private TestDocker() {}

  static synchronized boolean usable() {
    if (usable == null) {
      usable = decide();
    }
    return usable;
  }

  /** For the log line of a fixture that did not use Docker. */
  static synchronized String whyNot() {
    usable();
    return why;
  }

  private static boolean decide() {
    if ("1".equals(System.getenv("CHAT_TEST_NO_DOCKER"))) {
      why = "CHAT_TEST_NO_DOCKER=1";
      return false;
    }
    long began = System.nanoTime();
    boolean found;
    try {
      found = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      // a broken Docker configuration must not cost the suite its local path
      found = false;
    }
    why = found ? "Docker engine found" : "no Docker engine (looked for " + (System.nanoTime() - began) / 1_000_000 + " ms)";
    return found;
  }
}
