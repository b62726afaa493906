package chat.node;

import chat.protocol.BuildVersion;
import picocli.CommandLine.IVersionProvider;

/** What {@code chat-node --version} prints. */
final class NodeVersion implements IVersionProvider {
  static final BuildVersion BUILD = BuildVersion.read(NodeVersion.class, "version.properties");

  @Override
  public String[] getVersion() {
    return new String[] {BUILD.line("chat-node")};
  }
}
