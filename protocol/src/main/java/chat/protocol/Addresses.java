package chat.protocol;

/** Every event-bus address, in one place. */
public final class Addresses {
  private Addresses() {}

  /** The persistence verticle's one address for typed requests ({@link chat.protocol.bus.StoreRequest}). */
  public static final String STORE = "store";
  /** The chat verticle's one address for typed requests ({@link chat.protocol.bus.ChatRequest}). */
  public static final String CHAT = "chat";

  /** The node's /health answer {code, body}: the gateway's web server asks it, the node (launcher) owns it. */
  public static final String NODE_HEALTH = "node.health";

  // persistence verticle
  /** The message store: {@link chat.protocol.bus.StoreMessage} -> its Stored record. */
  public static final String STORE_MESSAGE = "store.message";

  /** Published when deliveries may have been missed (Redis came back): every session checks its inbox. */
  public static final String GATEWAY_CATCH_UP = "gateway.catch-up";

  /**
   * Each login is named SESSION_PREFIX + gateway id + "." + login number. The name is a key in
   * presence, not an address: deliveries go to the gateway's DELIVER_PREFIX address in batches.
   */
  public static final String SESSION_PREFIX = "gateway.session.";

  /** Each gateway instance consumes {@link DeliveryBatch}es on DELIVER_PREFIX + gateway id. */
  public static final String DELIVER_PREFIX = "gateway.deliver.";

  /**
   * Each gateway instance consumes ephemeral notices on NOTIFY_PREFIX + gateway id: a
   * {@link chat.protocol.bus.Push} for the login named in the {@link #SESSION_HEADER} header. At most once: the state they
   * announce (a friend request, say) is in the database and read again by the client's lists.
   */
  public static final String NOTIFY_PREFIX = "gateway.notify.";
  public static final String SESSION_HEADER = "session";

  /** Each gateway instance answers on PING_PREFIX + gateway id, so chat can tell it is alive. */
  public static final String PING_PREFIX = "gateway.ping.";

  public static String session(String gatewayId, long login) {
    return SESSION_PREFIX + gatewayId + "." + login;
  }

  /** The gateway id inside a session address. */
  public static String gatewayOf(String sessionAddress) {
    return sessionAddress.substring(SESSION_PREFIX.length(), sessionAddress.lastIndexOf('.'));
  }
}
