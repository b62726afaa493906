package chat.protocol;

/** A message for one recipient: its position in the recipient's sequence and the frame to write. */
public record Delivery(long seq, String frame) {}
