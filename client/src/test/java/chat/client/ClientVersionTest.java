package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --version} and {@code -V} need no host and port, print version and commit, and exit 0. */
class ClientVersionTest {

  @Test
  void bothOptionsPrintVersionAndCommit() {
    for (String option : new String[] {"--version", "-V"}) {
      StringWriter out = new StringWriter();
      int code = new CommandLine(new ChatClient()).setOut(new PrintWriter(out)).execute(option);
      assertThat(code).isZero();
      assertThat(out.toString().strip()).matches("chat-client \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{7,}|unknown)\\)");
    }
  }
}
