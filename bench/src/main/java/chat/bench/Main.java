package chat.bench;

import chat.bench.report.ReportCommand;
import chat.bench.relay.RelayCommand;
import chat.bench.scenario.ChatCommand;
import chat.bench.scenario.ClosedCommand;
import chat.bench.scenario.CrossCommand;
import chat.bench.scenario.GroupCommand;
import chat.bench.scenario.IdleCommand;
import chat.bench.scenario.RegisterCommand;
import chat.bench.scenario.SetupCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "chat-bench",
    mixinStandardHelpOptions = true,
    description = "Load generator for the chat node. Every scenario is bounded in time and count.",
    subcommands = {
      SetupCommand.class, RegisterCommand.class, ChatCommand.class, GroupCommand.class,
      IdleCommand.class, CrossCommand.class, ClosedCommand.class, RelayCommand.class, ReportCommand.class
    })
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cli = new CommandLine(new Main());
    // A failed run is reported by its cause in one line; the stack trace helps nobody at 2 a.m.
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("chat-bench " + line.getCommandName() + " failed: " + e.getMessage());
      if (System.getenv("CHAT_BENCH_TRACE") != null) {
        e.printStackTrace(line.getErr());
      }
      return 1;
    });
    System.exit(cli.execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
