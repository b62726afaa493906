package chat.bench.scenario;

import chat.bench.net.BenchClient;
import chat.bench.net.Target;
import java.util.List;
import picocli.CommandLine.Command;

/** As chat, but the first half of the users (senders) is on node A and the rest on node B. */
@Command(name = "cross", mixinStandardHelpOptions = true,
    description = "Cross-node chat: senders on the first --target, recipients on the second.")
public final class CrossCommand extends ChatCommand {

  @Override
  protected String scenario() {
    return "cross";
  }

  @Override
  protected Target targetOf(int i) {
    List<Target> targets = common.targets();
    if (targets.size() != 2) {
      throw new IllegalArgumentException("cross needs two --target options (node A, node B)");
    }
    return i - offset < users / 2 ? targets.get(0) : targets.get(1);
  }

  @Override
  protected List<List<BenchClient>> roles(List<BenchClient> clients) {
    int half = clients.size() / 2;
    return List.of(clients.subList(0, half), clients.subList(half, clients.size()));
  }
}
