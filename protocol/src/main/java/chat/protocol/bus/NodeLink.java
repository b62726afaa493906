package chat.protocol.bus;

/**
 * What one chat node publishes to another over Redis, for that node's own logins: at most once,
 * like Redis pub/sub itself. A lost delivery costs nothing (the message is stored and the
 * recipient's gateway catches up from its inbox); a lost push announces what the lists hold anyway.
 * Travels as {@link BusCodec#toJson} text and is read back with {@link BusCodec#fromJson} against
 * the bus's allow-list.
 */
public sealed interface NodeLink permits RemoteDelivery, RemoteNotice, RoundTripPing {
  void handleWith(Handler handler);

  /**
   * When the sending node published it (epoch ms, its clock), for the receiver's pub/sub lag; 0
   * from a node that predates the field.
   */
  long publishedAt();

  /** The receiving node's side: one method per payload type. */
  interface Handler {
    void delivery(RemoteDelivery delivery);

    void notice(RemoteNotice notice);

    /** One of this node's own pings, back through Redis. */
    void ping(RoundTripPing ping);
  }
}
