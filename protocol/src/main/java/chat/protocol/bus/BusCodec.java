package chat.protocol.bus;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The one codec of every typed bus record. A local send hands the record itself to the consumer
 * (records are immutable, so nothing is copied or encoded); a clustered send encodes it once with
 * Jackson, prefixed by its class name. Only the classes reachable from the sealed roots can be
 * decoded, so a peer on the bus cannot make this JVM instantiate anything else.
 */
public final class BusCodec implements MessageCodec<Object, Object> {
  public static final String NAME = "chat.bus";
  private static final BusCodec INSTANCE = new BusCodec();

  private final ObjectMapper json = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // records only: their components are the wire shape, never a helper method that looks like a getter
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
  private final Map<String, Class<?>> known = new HashMap<>();

  BusCodec() {
    for (Class<?> root : new Class<?>[] {StoreRequest.class, StoreReply.class, ChatRequest.class, ChatReply.class, Push.class,
        StoreMessage.class, StoreMessage.Stored.class}) {
      collect(root);
    }
  }

  private void collect(Class<?> type) {
    if (type.isRecord()) {
      known.put(type.getName(), type);
    }
    Class<?>[] subs = type.getPermittedSubclasses();
    if (subs != null) {
      for (Class<?> sub : subs) {
        collect(sub);
      }
    }
  }

  /** Registers the codec on this instance's event bus; later calls are no-ops. */
  public static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(INSTANCE);
    } catch (IllegalStateException alreadyRegistered) {
      return; // another verticle of this instance did it first
    }
    vertx.eventBus().codecSelector(body -> INSTANCE.knows(body) ? NAME : null);
  }

  boolean knows(Object body) {
    return body != null && known.containsKey(body.getClass().getName());
  }

  /**
   * A record as JSON, {class, record}, for a transport that carries text (Redis pub/sub between
   * nodes): the same form and the same allow-list as the bus's.
   */
  public static JsonObject toJson(Object record) {
    try {
      return new JsonObject().put("class", record.getClass().getName())
          .put("record", new JsonObject(Buffer.buffer(INSTANCE.json.writeValueAsBytes(record))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Object fromJson(JsonObject encoded) {
    return INSTANCE.read(encoded.getString("class"), encoded.getJsonObject("record").toBuffer().getBytes());
  }

  /** A record of a known class from its JSON; anything else is refused before Jackson sees it. */
  private Object read(String typeName, byte[] body) {
    Class<?> type = known.get(typeName);
    if (type == null) {
      throw new IllegalArgumentException("not a bus record: " + typeName);
    }
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, Object record) {
    byte[] type = record.getClass().getName().getBytes(StandardCharsets.UTF_8);
    byte[] body;
    try {
      body = json.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.appendInt(type.length).appendBytes(type).appendInt(body.length).appendBytes(body);
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    int typeLength = buffer.getInt(pos);
    String typeName = buffer.getString(pos + 4, pos + 4 + typeLength, "UTF-8");
    int at = pos + 4 + typeLength;
    int bodyLength = buffer.getInt(at);
    return read(typeName, buffer.getBytes(at + 4, at + 4 + bodyLength));
  }

  @Override
  public Object transform(Object record) {
    return record;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
