package chat.gateway;

/**
 * The size of the WebSocket message being received, over its fragments. Vert.x checks each frame
 * and, past its message limit, drops what it aggregated and reads on, so a client could send
 * fragments forever; counted here, the connection closes (1009) instead.
 *
 * <p>Confined to the connection's event loop.
 */
final class MessageSize {
  /** WebSocket close status "message too big". */
  static final short TOO_BIG = 1009;

  private final long limit;
  private long current;

  MessageSize(long limit) {
    this.limit = limit;
  }

  /**
   * A data frame: the first of a message ({@code continuation} false) or one of its continuations,
   * with {@code bytes} of payload. False once the message passes the limit.
   */
  boolean frame(boolean continuation, boolean fin, int bytes) {
    current = continuation ? current + bytes : bytes;
    boolean within = current <= limit;
    if (fin) {
      current = 0;
    }
    return within;
  }
}
