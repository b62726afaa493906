package chat.bench;

import chat.bench.report.ReportCommand;
import chat.bench.scenario.ChatCommand;
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
      IdleCommand.class, CrossCommand.class, ReportCommand.class
    })
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
