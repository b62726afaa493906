package chat.gateway;

import chat.protocol.V2Frames;
import chat.protocol.bus.FriendEvent;
import chat.protocol.bus.GroupChange;
import chat.protocol.bus.Peer;
import chat.protocol.bus.PresenceChange;
import chat.protocol.bus.PushRenderer;
import chat.protocol.bus.Receipt;
import chat.protocol.bus.TypingNotice;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** Chat's pushes as v2 frames (docs/protocol.md sections 4 to 6): the only place that knows their keys. */
final class V2Pushes implements PushRenderer<JsonObject> {
  static final V2Pushes INSTANCE = new V2Pushes();

  private V2Pushes() {}

  @Override
  public JsonObject friend(FriendEvent push) {
    return new JsonObject().put("type", "friend").put("event", word(push.kind())).put("user", push.user()).put("name", push.name());
  }

  @Override
  public JsonObject presence(PresenceChange push) {
    return new JsonObject().put("type", "presence").put("user", push.user()).put("online", push.online());
  }

  @Override
  public JsonObject typing(TypingNotice push) {
    return new JsonObject().put("type", "typing").put("user", push.user()).put("with", V2Frames.peer(push.with()));
  }

  /** {@code by} is the reader or recipient, which is also the conversation seen from the receiver. */
  @Override
  public JsonObject receipt(Receipt push) {
    return new JsonObject().put("type", "receipt").put("kind", word(push.kind())).put("by", push.by())
        .put("with", V2Frames.peer(Peer.user(push.by()))).put("upto", push.upto());
  }

  @Override
  public JsonObject group(GroupChange push) {
    JsonObject frame = new JsonObject().put("type", "group").put("event", word(push.kind()))
        .put("group", push.group()).put("user", push.user());
    if (push.role() != null) {
      frame.put("role", push.role().sql());
    }
    return frame;
  }

  private static String word(Enum<?> kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
