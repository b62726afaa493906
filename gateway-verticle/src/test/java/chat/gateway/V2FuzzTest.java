package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the v2 path above the frame parser: the session's decode, the v2
 * dispatch, every handler's field checks and the typed bus requests they build, and the renderers
 * of the replies, against stubs of chat and the store ({@link FuzzGateway}). A connection opens
 * with hello (and, if the input says so, a login the stub grants), then gets requests built from
 * the input (known and unknown types, fields of every JSON type, huge and negative numbers,
 * deep nesting, long strings) and raw bytes between them. Whatever the input:
 * <ul>
 *   <li>no exception escapes to the event loop;</li>
 *   <li>every request on a clean stream is answered (an ok or an error with its id, or an error
 *       without one), and none twice; every error carries a code of {@code ErrorCode}, never
 *       INTERNAL;</li>
 *   <li>a request acts as the user chat granted the login to, never one the client named;</li>
 *   <li>nothing is left behind once the connection closed: no session, no counted connection, no
 *       counted inbound or outbound byte; no frame written is larger than a bound.</li>
 * </ul>
 *
 * <p>{@code mvn test} replays the seeds in {@code V2FuzzTestInputs}; {@code JAZZER_FUZZ=1 mvn -pl
 * gateway-verticle -am test -Dtest=V2FuzzTest -Dsurefire.failIfNoSpecifiedTests=false} fuzzes.
 */
class V2FuzzTest {
  @AfterAll
  static void closeGateway() {
    FuzzGateway.closeShared();
  }

  private static final String[] KEYS = {"id", "type", "v", "user", "group", "to", "with", "text", "cmid", "after",
      "limit", "before", "seq", "upto", "name", "password", "token", "old", "new", "desc"};
  private static final String[] TYPES = V2Protocol.types().stream().sorted().toArray(String[]::new);
  /** A frame written may echo a request's type or a text of at most the frame limit, never more. */
  private static final int MAX_WRITTEN = 4096;

  @FuzzTest(maxDuration = "3m")
  void requests(FuzzedDataProvider data) {
    FuzzGateway gw = FuzzGateway.get();
    gw.begin(data.consumeInt(0, 0xffff), data.consumeInt(0, 7));
    FuzzLink link = new FuzzLink(gw);
    gw.open(link);
    Map<String, Integer> sent = new HashMap<>();
    feed(gw, link, sent, new JsonObject().put("v", 2).put("id", "h0").put("type", "hello"), "\n");
    if (data.consumeBoolean()) {
      feed(gw, link, sent, new JsonObject().put("id", "l0").put("type", "login").put("user", 7).put("password", "pw"), "\n");
    }
    int steps = data.consumeInt(0, 32);
    for (int i = 1; i <= steps && data.remainingBytes() > 0 && !link.ended; i++) {
      if (data.consumeInt(0, 5) == 0) {
        byte[] raw = data.consumeBytes(data.consumeInt(0, 600));
        FuzzGateway.trace("> raw", new String(raw, StandardCharsets.ISO_8859_1));
        gw.on(() -> {
          link.connection.onBytes(Buffer.buffer(raw));
          return null;
        });
        gw.settle(3);
      } else {
        feed(gw, link, sent, request(data, i), data.consumeBoolean() ? "\n" : "\0");
      }
    }
    gw.on(() -> {
      link.peerGone();
      return null;
    });
    gw.assertClean();
    List<JsonObject> written = gw.on(() -> link.frames(0));
    written.forEach(f -> FuzzGateway.trace("<", f.encode()));
    Map<String, Integer> answers = new HashMap<>();
    for (JsonObject f : written) {
      FuzzGateway.assertStableError(f);
      if (f.getValue("re") instanceof String re) {
        answers.merge(re, 1, Integer::sum);
      }
    }
    answers.forEach((re, n) -> assertThat(n).as("answers to request %s", re).isLessThanOrEqualTo(sent.getOrDefault(re, 0)));
    gw.on(() -> {
      link.written.forEach(w -> assertThat(w.length()).isLessThanOrEqualTo(MAX_WRITTEN));
      return null;
    });
  }

  /**
   * Writes one request and waits for its answer: one with its id, or an error without one (a bad
   * id, a refusal for the request rate, a broken stream), unless the connection ended.
   */
  private static void feed(FuzzGateway gw, FuzzLink link, Map<String, Integer> sent, JsonObject req, String delimiter) {
    String json = req.encode();
    byte[] bytes = (json + delimiter).getBytes(StandardCharsets.UTF_8);
    FuzzGateway.trace(">", json);
    // the id as the server reads it: a NaN or an infinity is encoded as a string
    String id = new JsonObject(json).getValue("id") instanceof String s ? s : null;
    if (id != null) {
      sent.merge(id, 1, Integer::sum);
    }
    int[] before = new int[1];
    boolean clean = gw.on(() -> {
      before[0] = link.written.size();
      boolean whole = link.connection.parser().buffered() == 0 && !link.ended;
      link.connection.onBytes(Buffer.buffer(bytes));
      return whole;
    });
    for (int turn = 0; turn < 200; turn++) {
      boolean answered = gw.on(() -> link.ended || link.frames(before[0]).stream()
          .anyMatch(f -> (id != null && id.equals(f.getValue("re"))) || (!f.containsKey("re") && Boolean.FALSE.equals(f.getValue("ok")))));
      if (answered) {
        return;
      }
    }
    gw.on(() -> link.frames(before[0])).forEach(f -> FuzzGateway.trace("< (no answer)", f.encode()));
    assertThat(clean).as("only a frame cut by raw bytes before it may stay unanswered: %s", req).isFalse();
  }

  static JsonObject request(FuzzedDataProvider data, int n) {
    JsonObject req = new JsonObject();
    if (data.consumeInt(0, 7) != 0) {
      req.put("id", "r" + n);
    } else {
      req.put("id", value(data, 0));
    }
    req.put("type", data.consumeInt(0, 7) != 0 ? TYPES[data.consumeInt(0, TYPES.length - 1)] : value(data, 0));
    int fields = data.consumeInt(0, 5);
    for (int i = 0; i < fields; i++) {
      String key = data.consumeInt(0, 7) != 0 ? KEYS[data.consumeInt(0, KEYS.length - 1)] : data.consumeString(8);
      req.put(key, value(data, 1));
    }
    return req;
  }

  /** Any JSON value, weighted toward what the handlers read: small ids, peers, strings, numbers of every width. */
  private static Object value(FuzzedDataProvider data, int depth) {
    switch (data.consumeInt(0, 14)) {
      case 0:
        return data.consumeInt();
      case 1:
        return data.consumeInt(-2, 1002);
      case 2:
        return data.consumeLong();
      case 3:
        return BigInteger.valueOf(data.consumeLong()).shiftLeft(data.consumeInt(1, 200));
      case 4:
        return data.consumeDouble();
      case 5:
        return new BigDecimal(BigInteger.valueOf(data.consumeLong()), data.consumeInt(-400, 400));
      case 6:
        return data.consumeString(40);
      case 7:
        return data.consumeInt(-2, 1002) + "." + data.consumeString(12);
      case 8:
        return data.consumeBoolean();
      case 9:
        return null;
      case 10:
        return new JsonObject().put(data.consumeBoolean() ? "user" : "group", value(data, depth + 1));
      case 11: {
        JsonObject o = new JsonObject();
        int n = depth < 12 ? data.consumeInt(0, 3) : 0;
        for (int i = 0; i < n; i++) {
          o.put(data.consumeBoolean() ? KEYS[data.consumeInt(0, KEYS.length - 1)] : data.consumeString(6), value(data, depth + 1));
        }
        return o;
      }
      case 12: {
        JsonArray a = new JsonArray();
        int n = depth < 12 ? data.consumeInt(0, 3) : 0;
        for (int i = 0; i < n; i++) {
          a.add(value(data, depth + 1));
        }
        return a;
      }
      case 13: {
        Object v = data.consumeInt(0, 9);
        for (int i = data.consumeInt(1, 12); i > 0; i--) {
          v = data.consumeBoolean() ? new JsonArray().add(v) : new JsonObject().put("user", v);
        }
        return v;
      }
      default:
        return "x".repeat(data.consumeInt(0, 600));
    }
  }
}
