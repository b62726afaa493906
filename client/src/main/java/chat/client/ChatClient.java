package chat.client;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The terminal client: {@code java -jar chat-client.jar HOST PORT}. It speaks protocol v2
 * (replies to every command, friend requests, receipts, reconnects by itself); {@code --classic}
 * is the classic client, frame for frame.
 */
@Command(name = "chat-client", mixinStandardHelpOptions = true, versionProvider = ClientVersion.class,
    description = "Terminal client for the chat server (protocol v2; --classic for the classic protocol).")
public final class ChatClient implements Callable<Integer> {
  @Parameters(index = "0", description = "server host") String host;
  @Parameters(index = "1", description = "server port (6000, or nginx in front of a cluster)") int port;
  @Option(names = "--classic", description = "speak the classic protocol (msgid frames), as the C++ client did")
  boolean classic;

  /** First and longest wait between reconnect attempts (v2). */
  static final long FIRST_RETRY_MS = 250;
  static final long MAX_RETRY_MS = 10_000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChatClient()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().name("chat").system(true).build()) {
      return run(classic, host, port, terminal);
    }
  }

  /** The client on given streams (a dumb terminal): for scripts and tests. */
  public static int run(boolean classic, String host, int port, InputStream in, OutputStream out) throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().name("chat").system(false).dumb(true)
        .streams(in, out).encoding(StandardCharsets.UTF_8).build()) {
      return run(classic, host, port, terminal);
    }
  }

  private static int run(boolean classic, String host, int port, Terminal terminal) throws Exception {
    return classic ? runClassic(host, port, terminal) : runV2(host, port, terminal);
  }

  private static int runV2(String host, int port, Terminal terminal) {
    V2Shell shell = new V2Shell(terminal, screen -> new V2Session(host, port, screen, FIRST_RETRY_MS, MAX_RETRY_MS));
    try {
      shell.session().connect();
    } catch (java.io.IOException e) {
      shell.session().close();
      return cannotConnect(host, port, terminal, e);
    }
    return shell.run();
  }

  private static int runClassic(String host, int port, Terminal terminal) throws Exception {
    try (Connection connection = Connection.open(host, port)) {
      return new Shell(connection, terminal).run();
    } catch (java.io.IOException e) {
      return cannotConnect(host, port, terminal, e);
    }
  }

  private static int cannotConnect(String host, int port, Terminal terminal, java.io.IOException e) {
    terminal.writer().println("cannot connect to " + host + ":" + port + ": " + e.getMessage());
    terminal.flush();
    return 1;
  }
}
