package chat.bench.scenario;

import chat.bench.Common;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "setup", mixinStandardHelpOptions = true,
    description = "Registers users <prefix>-0..N-1 (or reuses them) so later runs and several bench processes share them.")
public final class SetupCommand implements Callable<Integer> {
  @Mixin Common common;

  @Option(names = "--users", defaultValue = "1000", description = "users to have (default ${DEFAULT-VALUE})")
  int users;

  @Override
  public Integer call() {
    try (Common c = common) {
      c.users(users);
      System.out.println("users " + common.target() + " " + users + " ready");
    }
    return 0;
  }
}
