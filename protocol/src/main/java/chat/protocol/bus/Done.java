package chat.protocol.bus;

/** The reply of a request that answers nothing but its success. */
public record Done() implements StoreReply, ChatReply {
  public static final Done DONE = new Done();
}
