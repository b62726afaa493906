package chat.protocol.bus;

import chat.protocol.ChatMessage;
import java.util.List;

/** A stored message for logins on the receiving node, each under the recipient's seq. */
public record RemoteDelivery(ChatMessage message, List<Target> targets) implements NodeLink {
  public record Target(String session, long seq) {}

  @Override
  public void handleWith(Handler handler) {
    handler.delivery(this);
  }
}
