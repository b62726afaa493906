package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.DeliveryBatch;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Collects the sessions one message goes to, then sends one batch per gateway. */
final class Fanout {
  private record Target(String session, long seq) {}

  private final ChatMessage message;
  private final Map<String, List<Target>> byGateway = new HashMap<>();

  Fanout(ChatMessage message) {
    this.message = message;
  }

  void add(String session, long seq) {
    byGateway.computeIfAbsent(Addresses.gatewayOf(session), g -> new ArrayList<>()).add(new Target(session, seq));
  }

  void send(EventBus bus) {
    byGateway.forEach((gateway, targets) -> {
      String[] sessions = new String[targets.size()];
      long[] seqs = new long[targets.size()];
      for (int i = 0; i < sessions.length; i++) {
        sessions[i] = targets.get(i).session();
        seqs[i] = targets.get(i).seq();
      }
      bus.send(Addresses.DELIVER_PREFIX + gateway, new DeliveryBatch(message, sessions, seqs));
    });
  }
}
