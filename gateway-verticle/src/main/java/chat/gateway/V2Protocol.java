package chat.gateway;

import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.V2Frames;
import chat.protocol.bus.Push;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Protocol v2 (docs/protocol.md): requests with ids, each answered exactly once with an ok or an
 * error frame by its handler ({@link V2AccountHandlers}, {@link V2MessageHandlers},
 * {@link V2SocialHandlers}); pushes for deliveries and notices; the client acknowledges what it
 * processed. A new request type is an entry in a handler table, its shapes in the docs, and the
 * frames it renders.
 */
final class V2Protocol implements Protocol {
  static final int MAX_ID_CHARS = 64;

  /** One request type: its reply's result, or null when the handler wrote the reply itself. */
  interface Handler {
    Future<JsonObject> handle(Session s, JsonObject req);
  }

  private static final Map<String, Handler> HANDLERS = table(
      V2AccountHandlers.HANDLERS, V2MessageHandlers.HANDLERS, V2SocialHandlers.HANDLERS);

  private final Session s;

  V2Protocol(Session s) {
    this.s = s;
  }

  /** The request types this protocol answers. */
  static java.util.Set<String> types() {
    return HANDLERS.keySet();
  }

  @SafeVarargs
  private static Map<String, Handler> table(Map<String, Handler>... parts) {
    Map<String, Handler> all = new HashMap<>();
    for (Map<String, Handler> part : parts) {
      part.forEach((type, h) -> {
        if (all.put(type, h) != null) {
          throw new IllegalStateException("two handlers for " + type);
        }
      });
    }
    return Map.copyOf(all);
  }

  /** Answers one v2 frame, exactly once; a frame without a usable id gets an error without {@code re}. */
  @Override
  public void handle(JsonObject frame) {
    String id;
    String type;
    try {
      id = Frames.requireString(frame, "id");
      type = Frames.requireString(frame, "type");
      if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
        throw new ProtocolException(ErrorCode.BAD_FIELD, "id must be 1-64 characters");
      }
    } catch (ProtocolException e) {
      s.write(V2Frames.error(null, e.code(), e.getMessage()).encode());
      return;
    }
    Handler h = HANDLERS.get(type);
    if (h == null) {
      s.write(V2Frames.error(id, ErrorCode.UNKNOWN_MSGID, "unknown type: " + type).encode());
      return;
    }
    Future<JsonObject> result;
    try {
      result = h.handle(s, frame);
    } catch (ProtocolException e) {
      result = Future.failedFuture(e);
    } catch (ClassCastException | NumberFormatException e) {
      result = Future.failedFuture(new ProtocolException(ErrorCode.BAD_FIELD, "a field has the wrong type"));
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        if (ar.result() != null) {
          s.write(V2Frames.ok(id, ar.result()).encode());
        }
      } else {
        s.write(V2Frames.error(id, Replies.codeOf(ar.cause()), ar.cause().getMessage()).encode());
      }
    });
  }

  @Override
  public String error(ErrorCode code, String text) {
    return V2Frames.error(null, code, text).encode();
  }

  /** A message under {@code seq} on its way to the client: its ack owes the sender a receipt. */
  @Override
  public String render(Delivery d) {
    s.delivery().sent(d.seq(), d.message());
    return V2Frames.msg(d.seq(), d.message());
  }

  @Override
  public void notice(Push event) {
    if (s.online()) {
      s.write(event.render(V2Pushes.INSTANCE).encode());
    }
  }

  @Override
  public boolean sendReconnect() {
    s.write(new JsonObject().put("type", "reconnect").put("reason", "this node is shutting down: log in again on another").encode());
    return true;
  }

  @Override
  public boolean acknowledges() {
    return true;
  }
}
