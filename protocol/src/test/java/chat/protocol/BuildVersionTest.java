package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildVersionTest {

  private static Properties props(String version, String commit) {
    Properties p = new Properties();
    p.setProperty("version", version);
    p.setProperty("commit", commit);
    return p;
  }

  @Test
  void printsVersionAndCommit() {
    assertThat(BuildVersion.of(props("1.2.0", "1a2b3c4")).line("chat-node"))
        .isEqualTo("chat-node 1.2.0 (commit 1a2b3c4)");
  }

  @Test
  void aBuildWithoutGitLeavesPlaceholdersThatReadAsUnknown() {
    BuildVersion v = BuildVersion.of(props("1.2.0", "${git.commit.id.abbrev}"));
    assertThat(v).isEqualTo(new BuildVersion("1.2.0", "unknown"));
  }

  @Test
  void aMissingFileIsUnknownNotAnError() {
    assertThat(BuildVersion.read(BuildVersionTest.class, "no-such.properties"))
        .isEqualTo(new BuildVersion("unknown", "unknown"));
  }
}
