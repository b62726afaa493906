package chat.client;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The terminal client: {@code java -jar chat-client.jar HOST PORT}, the classic client's menu and commands. */
@Command(name = "chat-client", mixinStandardHelpOptions = true,
    description = "Terminal client for the chat server (classic protocol).")
public final class ChatClient implements Callable<Integer> {
  @Parameters(index = "0", description = "server host") String host;
  @Parameters(index = "1", description = "server port (6000, or nginx in front of a cluster)") int port;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChatClient()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().name("chat").system(true).build()) {
      return run(host, port, terminal);
    }
  }

  /** The client on given streams (a dumb terminal): for scripts and tests. */
  public static int run(String host, int port, InputStream in, OutputStream out) throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().name("chat").system(false).dumb(true)
        .streams(in, out).encoding(StandardCharsets.UTF_8).build()) {
      return run(host, port, terminal);
    }
  }

  private static int run(String host, int port, Terminal terminal) throws Exception {
    try (Connection connection = Connection.open(host, port)) {
      return new Shell(connection, terminal).run();
    } catch (java.io.IOException e) {
      terminal.writer().println("cannot connect to " + host + ":" + port + ": " + e.getMessage());
      terminal.flush();
      return 1;
    }
  }
}
