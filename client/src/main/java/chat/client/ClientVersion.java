package chat.client;

import chat.protocol.BuildVersion;
import picocli.CommandLine.IVersionProvider;

/** What {@code chat-client --version} prints. */
final class ClientVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {BuildVersion.read(ClientVersion.class, "version.properties").line("chat-client")};
  }
}
