package chat.protocol;

/** A message for one recipient: its position in the recipient's sequence and the message. */
public record Delivery(long seq, ChatMessage message) {
  /** About what holding it costs, in bytes. */
  public int size() {
    return message.size();
  }
}
