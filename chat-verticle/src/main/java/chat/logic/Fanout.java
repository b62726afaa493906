package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.DeliveryBatch;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Collects the sessions one message goes to, then sends one batch per gateway. */
final class Fanout {
  private final String frame;
  private final Map<String, List<Object[]>> byGateway = new HashMap<>();

  Fanout(String frame) {
    this.frame = frame;
  }

  void add(String session, long seq) {
    byGateway.computeIfAbsent(Addresses.gatewayOf(session), g -> new ArrayList<>()).add(new Object[] {session, seq});
  }

  void send(EventBus bus) {
    byGateway.forEach((gateway, targets) -> {
      String[] sessions = new String[targets.size()];
      long[] seqs = new long[targets.size()];
      for (int i = 0; i < sessions.length; i++) {
        sessions[i] = (String) targets.get(i)[0];
        seqs[i] = (Long) targets.get(i)[1];
      }
      bus.send(Addresses.DELIVER_PREFIX + gateway, new DeliveryBatch(frame, sessions, seqs));
    });
  }
}
