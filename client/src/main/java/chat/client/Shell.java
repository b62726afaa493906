package chat.client;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The classic client's flow: a menu (login, register, quit), then commands until loginout.
 * Incoming messages are printed above the prompt as they arrive, so typing is not disturbed.
 */
final class Shell {
  private static final long ACK_TIMEOUT_MS = 15_000;

  private final Connection connection;
  private final LineReader reader;
  private volatile boolean closed;

  Shell(Connection connection, Terminal terminal) {
    this.connection = connection;
    this.reader = LineReaderBuilder.builder().terminal(terminal).build();
    connection.onMessage(m -> {
      if (m == Connection.CLOSED) {
        closed = true;
        reader.printAbove("connection closed by the server");
      } else {
        reader.printAbove(Screens.message(m));
      }
    });
  }

  /** Returns the exit code. */
  int run() throws IOException, InterruptedException {
    try {
      while (!closed) {
        print(Screens.MENU);
        switch (reader.readLine("choice:").strip()) {
          case "1" -> login();
          case "2" -> register();
          case "3" -> {
            return 0;
          }
          default -> print("invalid input!");
        }
      }
      return 1;
    } catch (EndOfFileException | UserInterruptException e) {
      return 0;
    }
  }

  private void register() throws IOException, InterruptedException {
    String name = reader.readLine("username:").strip();
    String password = reader.readLine("userpassword:", '*');
    if (name.isEmpty()) {
      print("invalid name: it must not be empty, register error!");
      return;
    }
    connection.send(new JsonObject().put("msgid", 4).put("name", name).put("password", password));
    JsonObject ack = connection.nextAck(ACK_TIMEOUT_MS);
    if (ack.getInteger("errno", -1) == 0) {
      print(name + " register success, userid is " + ack.getValue("id") + ", do not forget it!");
    } else {
      print(ack == Connection.CLOSED ? "no answer from the server" : name + " is already exist, register error!");
    }
  }

  private void login() throws IOException, InterruptedException {
    Integer id;
    try {
      id = Integer.parseInt(reader.readLine("userid:").strip());
    } catch (NumberFormatException e) {
      print("userid is a number");
      return;
    }
    String password = reader.readLine("userpassword:", '*');
    connection.send(new JsonObject().put("msgid", 1).put("id", id).put("password", password));
    JsonObject ack = connection.nextAck(ACK_TIMEOUT_MS);
    if (ack == Connection.CLOSED) {
      print("no answer from the server");
    } else if (ack.getInteger("errno", -1) != 0) {
      print(ack.getString("errmsg", "login failed"));
    } else {
      Screens.loggedIn(ack).forEach(this::print);
      chat(ack.getInteger("id"), ack.getString("name"));
    }
  }

  /** Commands until loginout (back to the menu) or the connection ends. */
  private void chat(int me, String name) throws IOException {
    print("type help for the commands");
    while (!closed) {
      Commands.Parsed p = Commands.parse(reader.readLine("> "), me, name);
      if (p.help()) {
        print(Commands.HELP);
      } else if (p.error() != null) {
        print(p.error());
      } else if (p.frame() != null) {
        connection.send(p.frame());
        if (p.logout()) {
          return;
        }
      }
    }
  }

  private void print(String text) {
    reader.printAbove(text);
  }
}
