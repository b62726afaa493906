package chat.protocol.bus;

/**
 * {@code by} read, or received, the receiver's 1:1 messages up to message id {@code upto}; the
 * conversation, seen from the receiver, is the one with {@code by}.
 */
public record Receipt(Kind kind, int by, long upto) implements Push {
  public enum Kind { READ, DELIVERED }

  @Override
  public <T> T render(PushRenderer<T> renderer) {
    return renderer.receipt(this);
  }
}
