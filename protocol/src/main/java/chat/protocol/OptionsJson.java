package chat.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * An options record as a verticle's deployment config and back. The keys are the record's
 * component names, so the record is the one list of what a verticle takes; the node writes the
 * JSON from the record it built, and the verticle reads it back here. A key the record does not
 * have is refused: CHAT_* names belong in the node's settings, not in a verticle's config.
 */
public final class OptionsJson {
  private OptionsJson() {}

  public static JsonObject write(Record options) {
    JsonObject json = new JsonObject();
    for (RecordComponent c : options.getClass().getRecordComponents()) {
      Object v = value(c, options);
      json.put(c.getName(), v instanceof List<?> list ? new JsonArray(List.copyOf(list)) : v);
    }
    return json;
  }

  /** The record from {@code json}; a component the JSON leaves out keeps its value in {@code defaults}. */
  public static <R extends Record> R read(Class<R> type, JsonObject json, R defaults) {
    RecordComponent[] components = type.getRecordComponents();
    List<String> names = java.util.Arrays.stream(components).map(RecordComponent::getName).toList();
    for (String key : json.fieldNames()) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException(type.getSimpleName() + ": unknown key '" + key + "'");
      }
    }
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      args[i] = json.containsKey(c.getName())
          ? convert(type, c, json.getValue(c.getName()))
          : value(c, defaults);
    }
    try {
      Constructor<R> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(Class<?> type, RecordComponent c, Object v) {
    Class<?> t = c.getType();
    try {
      if (t == int.class) {
        return ((Number) v).intValue();
      } else if (t == long.class) {
        return ((Number) v).longValue();
      } else if (t == double.class) {
        return ((Number) v).doubleValue();
      } else if (t == boolean.class) {
        return (Boolean) v;
      } else if (t == List.class) {
        return v == null ? List.of() : ((JsonArray) v).stream().map(String::valueOf).toList();
      }
      return t.cast(v);
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException(
          type.getSimpleName() + ": '" + c.getName() + "' must be of type " + t.getSimpleName() + ", got " + v);
    }
  }

  private static Object value(RecordComponent c, Record r) {
    try {
      var accessor = c.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(r);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code base} with the named components changed, through the same checks as {@link #read}. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> R with(R base, java.util.Map<String, Object> changes) {
    return read((Class<R>) base.getClass(), new JsonObject(changes), base);
  }
}
