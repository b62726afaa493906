package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The jars as shipped print their version and commit, for the node and the terminal client. */
class VersionIT {

  private static String run(String jar, String option) throws Exception {
    Process p = new ProcessBuilder("java", "-jar", new File(jar).getAbsolutePath(), option)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.strip();
  }

  /**
   * The commit checked out here, when git and a .git directory are there to ask; null in a linked
   * worktree, where git-commit-id-maven-plugin reads the main checkout's HEAD instead.
   */
  private static String headCommit() throws Exception {
    String gitDir = git("rev-parse", "--path-format=absolute", "--git-dir");
    if (gitDir == null || !gitDir.equals(git("rev-parse", "--path-format=absolute", "--git-common-dir"))) {
      return null;
    }
    return git("rev-parse", "--short=7", "HEAD");
  }

  private static String git(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("git"));
    command.addAll(java.util.List.of(args));
    try {
      Process p = new ProcessBuilder(command).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor() == 0 ? out : null;
    } catch (java.io.IOException noGit) {
      return null;
    }
  }

  @Test
  void nodeAndClientPrintVersionAndCommit() throws Exception {
    String head = headCommit();
    for (String option : new String[] {"--version", "-V"}) {
      String node = run("target/chat-node.jar", option);
      String client = run("../client/target/chat-client.jar", option);
      assertThat(node).matches(NodeVersionTest.SHAPE);
      assertThat(client).matches(NodeVersionTest.SHAPE.replace("chat-node", "chat-client"));
      if (head != null) {
        // git abbreviates to more than 7 digits where 7 would be ambiguous
        assertThat(node).contains("(commit " + head);
        assertThat(client).contains("(commit " + head);
      }
    }
  }
}
