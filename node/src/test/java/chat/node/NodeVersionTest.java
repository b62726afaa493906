package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --version} and {@code -V}: the version and the commit the build was made from, exit 0. */
class NodeVersionTest {
  /** The commit is a short hash, or "unknown" for a build without .git. */
  static final String SHAPE = "chat-node \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{7,}|unknown)\\)";

  @Test
  void bothOptionsPrintOneLineWithVersionAndCommit() {
    for (String option : new String[] {"--version", "-V"}) {
      StringWriter out = new StringWriter();
      int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute(option);
      assertThat(code).isZero();
      assertThat(out.toString().strip()).matches(SHAPE);
    }
  }

  @Test
  void theBuildFilledInTheVersion() {
    // resource filtering ran: a placeholder left in the file would read as "unknown"
    assertThat(NodeVersion.BUILD.version()).isNotEqualTo("unknown");
  }
}
