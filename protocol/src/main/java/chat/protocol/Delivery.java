package chat.protocol;

/** A message for one recipient: its position in the recipient's sequence and the frame to write. */
public record Delivery(long seq, String frame) {
  /** About what holding it costs, in bytes. */
  public int size() {
    return frame.length();
  }
}
