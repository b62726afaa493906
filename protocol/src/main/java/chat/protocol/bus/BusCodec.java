package chat.protocol.bus;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.StringWriter;
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
        StoreMessage.class, StoreMessage.Reply.class, StoreMessage.AwaitLate.class, NodeLink.class}) {
      collect(root);
    }
    // a field of an interface type (RemoteNotice's push) names its record's class: only these names resolve
    json.registerSubtypes(known.values().stream().map(type -> new NamedType(type, type.getName())).toArray(NamedType[]::new));
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
   * A record as JSON text, {"class": its class name, "record": its components}, for a transport
   * that carries text (Redis pub/sub between nodes): the same form and allow-list as the bus's.
   */
  public static String toJson(Object record) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = INSTANCE.json.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("class", record.getClass().getName());
      g.writeFieldName("record");
      INSTANCE.json.writeValue(g, record);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The record {@link #toJson} wrote, if its class is on the allow-list and is an {@code expected}. */
  public static <T> T fromJson(String text, Class<T> expected) {
    JsonNode envelope;
    try {
      envelope = INSTANCE.json.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String typeName = envelope.path("class").asText();
    Class<?> type = INSTANCE.known.get(typeName);
    if (type == null || !expected.isAssignableFrom(type)) {
      throw new IllegalArgumentException("not a bus record of " + expected.getSimpleName() + ": " + typeName);
    }
    try {
      return expected.cast(INSTANCE.json.treeToValue(envelope.path("record"), type));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
