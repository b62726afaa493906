package chat.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git commit a jar was built from, for {@code --version}. Maven writes them into
 * a properties file by resource filtering (the commit from git-commit-id-maven-plugin); built
 * without a .git directory, the commit placeholder stays unreplaced and reads as "unknown".
 */
public record BuildVersion(String version, String commit) {
  private static final String UNKNOWN = "unknown";

  /** Reads {@code resource} next to {@code anchor}, e.g. {@code read(Main.class, "version.properties")}. */
  public static BuildVersion read(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        return new BuildVersion(UNKNOWN, UNKNOWN);
      }
      Properties p = new Properties();
      p.load(in);
      return of(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BuildVersion of(Properties p) {
    return new BuildVersion(value(p, "version"), value(p, "commit"));
  }

  private static String value(Properties p, String key) {
    String v = p.getProperty(key, "").trim();
    // "${git.commit.id.abbrev}": the build had no git to ask
    return v.isEmpty() || v.contains("${") ? UNKNOWN : v;
  }

  /** {@code chat-node 1.0.0 (commit 1a2b3c4)}. */
  public String line(String program) {
    return program + " " + version + " (commit " + commit + ")";
  }
}
