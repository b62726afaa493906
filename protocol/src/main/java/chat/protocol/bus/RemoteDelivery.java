package chat.protocol.bus;

import chat.protocol.ChatMessage;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A stored message for logins on the receiving node, each under the recipient's seq; published at {@code publishedAt}. */
public record RemoteDelivery(ChatMessage message, List<Target> targets, long publishedAt) implements NodeLink {
  /** [session, seq]: a group's fan-out names many, so each is an array, not an object with keys. */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"session", "seq"})
  public record Target(String session, long seq) {}

  @Override
  public void handleWith(Handler handler) {
    handler.delivery(this);
  }
}
