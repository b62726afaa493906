package chat.protocol.bus;

import io.vertx.core.Future;
import java.time.LocalDateTime;

/**
 * {@code from} (named {@code fromName}) sends {@code text} to a user or a group; {@code cmid} is
 * the v2 client's id for it (null for classic). Chat stamps and stores it, then pushes it to
 * whoever is online.
 */
public record SendMessage(int from, String fromName, Peer to, String text, String cmid)
    implements ChatRequest<SendMessage.Sent> {

  /** A resend with a known cmid is {@code duplicate}: the first send's id and time, delivered to nobody. */
  public record Sent(long messageId, LocalDateTime time, boolean duplicate) implements ChatReply {}

  @Override
  public Future<Sent> handleWith(ChatHandler handler) {
    return handler.send(this);
  }

  /** Never the text: logs carry no message text. */
  @Override
  public String toString() {
    return "SendMessage[from=" + from + ", to=" + to + ", cmid=" + (cmid != null) + "]";
  }
}
