package chat.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decoding of one frame and typed access to its fields. */
public final class Frames {
  private Frames() {}

  /** Strict: invalid UTF-8 (overlong forms, lone surrogates) and non-JSON are refused. */
  public static JsonObject decode(Buffer frame) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(frame.getBytes()))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not valid UTF-8");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ProtocolException(ErrorCode.BAD_JSON, "frame is not a JSON object");
    }
  }

  public static MsgType type(JsonObject frame) {
    Integer id = optInt(frame, "msgid");
    if (id == null) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "msgid missing");
    }
    return MsgType.fromCode(id);
  }

  /** An integer field, or null when absent. A float, string or out-of-range number is refused. */
  public static Integer optInt(JsonObject frame, String key) {
    Object v = frame.getValue(key);
    if (v == null) {
      return null;
    }
    if ((v instanceof Integer) || (v instanceof Long l && l == l.intValue())) {
      return ((Number) v).intValue();
    }
    throw new ProtocolException(ErrorCode.BAD_FIELD, key + " must be an integer");
  }

  public static int requireInt(JsonObject frame, String key) {
    Integer v = optInt(frame, key);
    if (v == null) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, key + " missing");
    }
    return v;
  }

  /** A whole number of at least 0 (a seq, a message id): missing, a float, a string or a negative number is refused. */
  public static long requireNonNegativeLong(JsonObject frame, String key) {
    Object v = frame.getValue(key);
    if (v == null) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, key + " missing");
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, key + " must be an integer of at least 0");
    }
    return ((Number) v).longValue();
  }

  public static String requireString(JsonObject frame, String key) {
    Object v = frame.getValue(key);
    if (v instanceof String s) {
      return s;
    }
    throw new ProtocolException(
        ErrorCode.BAD_FIELD, key + (v == null ? " missing" : " must be a string"));
  }

  /** An optional string: absent is fine, another type is refused. */
  public static String optString(JsonObject frame, String key, String fallback) {
    return frame.getValue(key) == null ? fallback : requireString(frame, key);
  }
}
