package chat.client;

import io.vertx.core.json.JsonObject;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The v2 client's flow: the classic menu (login, register, quit), then commands until loginout or
 * quit. Replies and pushes are printed above the prompt as they arrive.
 */
final class V2Shell {
  private final V2Session session;
  private final LineReader reader;

  V2Shell(Terminal terminal, SessionFactory sessions) {
    this.reader = LineReaderBuilder.builder().terminal(terminal).build();
    this.session = sessions.create(this::print);
  }

  /** Makes the session with the shell's screen. */
  interface SessionFactory {
    V2Session create(V2Session.Screen screen);
  }

  V2Session session() {
    return session;
  }

  /** Returns the exit code. */
  int run() {
    try {
      while (true) {
        print(Screens.MENU);
        switch (reader.readLine("choice:").strip()) {
          case "1" -> {
            if (login()) {
              return 0;
            }
          }
          case "2" -> register();
          case "3" -> {
            return 0;
          }
          default -> print("invalid input!");
        }
      }
    } catch (EndOfFileException | UserInterruptException e) {
      return 0; // Ctrl-D, Ctrl-C: the user left; close() below says nothing about the server
    } finally {
      session.close();
    }
  }

  private void register() {
    String name = reader.readLine("username:").strip();
    String password = reader.readLine("userpassword:", '*');
    if (name.isEmpty()) {
      print("invalid name: it must not be empty, register error!");
      return;
    }
    JsonObject r = session.register(name, password);
    if (r.getBoolean("ok", false)) {
      print(name + " register success, userid is " + r.getValue("user") + ", do not forget it!");
    } else {
      print(V2Screens.refused("register " + name, r));
    }
  }

  /** True when the user asked to quit. */
  private boolean login() {
    int id;
    try {
      id = Integer.parseInt(reader.readLine("userid:").strip());
    } catch (NumberFormatException e) {
      print("userid is a number");
      return false;
    }
    String password = reader.readLine("userpassword:", '*');
    JsonObject r = session.login(id, password);
    if (!r.getBoolean("ok", false)) {
      print(V2Screens.refused("login", r));
      return false;
    }
    return chat();
  }

  /** Commands until loginout (false: back to the menu), quit (true), or the server ends the login. */
  private boolean chat() {
    print("type help for the commands");
    while (session.online()) {
      String line = reader.readLine("> ");
      if (!session.online()) {
        return false;
      }
      V2Commands.Cmd c = V2Commands.parse(line);
      switch (c.kind()) {
        case NONE -> { }
        case HELP -> print(V2Commands.HELP);
        case ERROR -> print(c.error());
        case LOGOUT -> {
          session.logout();
          return false;
        }
        case QUIT -> {
          session.logout();
          return true;
        }
        default -> session.run(c);
      }
    }
    return false;
  }

  private void print(String text) {
    reader.printAbove(text);
  }
}
