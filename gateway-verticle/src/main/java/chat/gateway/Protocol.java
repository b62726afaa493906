package chat.gateway;

import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.bus.Push;
import io.vertx.core.json.JsonObject;

/**
 * What a connection speaks, chosen once by its first frame (a v2 {@code hello}, or a classic
 * frame): the dispatch of its requests, the rendering of its replies and pushes, and its quirks.
 * Everything else (login, delivery order, limits) is the same for both and is the session's.
 */
interface Protocol {
  /**
   * Handles one frame and answers it as the protocol does. A frame this protocol cannot even
   * read as a request throws a {@link chat.protocol.ProtocolException}: the session answers it.
   */
  void handle(JsonObject frame);

  /** An error without a request to answer. */
  String error(ErrorCode code, String text);

  /** One delivery as this protocol writes it. */
  String render(Delivery d);

  /** An ephemeral push; a protocol without a frame for it skips it. */
  void notice(Push event);

  /**
   * The node is stopping: tells the client to log in again on another node at once; false when
   * this protocol has no way to say so (classic), and the login just ends.
   */
  boolean sendReconnect();

  /** True if the client acknowledges what it processed (v2): then that is its watermark, and senders get receipts. */
  boolean acknowledges();
}
