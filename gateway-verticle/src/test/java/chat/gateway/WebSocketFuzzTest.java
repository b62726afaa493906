package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of what is ours on the WebSocket endpoint: {@link WebSocketLink}'s size
 * check over fragments and its close, the connection's one-frame-per-message rule, binary
 * messages, and the hand-off to the frame parser and the v2 session, below Netty's codec (the
 * frames come as its decoder passes them: data frames of at most the frame limit, continuations
 * only inside a message, pings and pongs between them) and through Vert.x's message aggregation as
 * {@link FuzzWebSocket} models it. The input picks each message: text or binary, a v2 request,
 * raw bytes (invalid UTF-8 included) or a padded request of a size around
 * {@code CHAT_MAX_FRAME_BYTES} and the WebSocket limit, cut into fragments, the last possibly never
 * finished; and when the peer's close frame comes, possibly before frames queued ahead of it.
 * Whatever the input:
 * <ul>
 *   <li>no exception escapes to the event loop;</li>
 *   <li>a message past the limit over its fragments closes the WebSocket with 1009, a binary
 *       message closes it (after the error frame 1002);</li>
 *   <li>every frame written is a v2 JSON object, every error with a code of {@code ErrorCode};</li>
 *   <li>nothing is left behind once closed.</li>
 * </ul>
 *
 * <p>{@code mvn test} replays the seeds in {@code WebSocketFuzzTestInputs}; {@code JAZZER_FUZZ=1 mvn -pl
 * gateway-verticle -am test -Dtest=WebSocketFuzzTest -Dsurefire.failIfNoSpecifiedTests=false} fuzzes.
 */
class WebSocketFuzzTest {
  @AfterAll
  static void closeGateway() {
    FuzzGateway.closeShared();
  }

  @FuzzTest(maxDuration = "3m")
  void messages(FuzzedDataProvider data) {
    FuzzGateway gw = FuzzGateway.get();
    gw.begin(data.consumeInt(0, 0xffff), data.consumeInt(0, 7));
    int maxFrame = gw.options.maxFrameBytes();
    int limit = WebServer.webSocketLimit(gw.options);
    FuzzWebSocket ws = new FuzzWebSocket(gw, limit);
    gw.open(new WebSocketLink(ws.ws, gw.vertx, limit));
    boolean[] mustClose = new boolean[1];
    boolean[] tooBig = new boolean[1];
    if (data.consumeBoolean()) {
      message(gw, ws, WebSocketFrameType.TEXT, bytes("{\"v\":2,\"id\":\"h0\",\"type\":\"hello\"}"), 1, true, mustClose, tooBig, limit);
    }
    int messages = data.consumeInt(0, 16);
    for (int i = 1; i <= messages && data.remainingBytes() > 0 && !ws.closed; i++) {
      int kind = data.consumeInt(0, 9);
      if (kind == 0) {
        FuzzGateway.trace("> peer's close frame", "");
        gw.on(() -> {
          ws.peerClose();
          return null;
        });
        continue;
      }
      WebSocketFrameType type = kind == 1 ? WebSocketFrameType.BINARY : WebSocketFrameType.TEXT;
      byte[] payload = switch (data.consumeInt(0, 3)) {
        case 0 -> data.consumeBytes(data.consumeInt(0, 700));
        case 1 -> padded(i, pickSize(data, maxFrame, limit));
        default -> bytes(V2FuzzTest.request(data, i).encode() + (data.consumeBoolean() ? "" : data.consumeString(4)));
      };
      boolean finished = message(gw, ws, type, payload, data.consumeInt(1, 6), data.consumeInt(0, 9) != 0, mustClose, tooBig, limit);
      for (int p = data.consumeInt(0, 1); p > 0; p--) {
        gw.on(() -> {
          ws.receive(WebSocketFrameType.PING, new byte[] {1}, true);
          return null;
        });
      }
      if (!finished) {
        break;
      }
    }
    gw.settle(8);
    gw.on(() -> {
      ws.written.forEach(w -> FuzzGateway.trace("<", w));
      FuzzGateway.trace("< closes", ws.serverCloses);
      if (tooBig[0]) {
        assertThat(ws.serverCloses).as("a message past the limit closes with 1009").contains(MessageSize.TOO_BIG);
      }
      if (mustClose[0]) {
        assertThat(ws.serverCloses).as("a binary message closes the WebSocket").isNotEmpty();
      }
      for (String w : ws.written) {
        FuzzGateway.assertStableError(new JsonObject(w));
      }
      ws.peerClose();
      ws.connectionClosed();
      return null;
    });
    gw.assertClean();
  }

  /**
   * One message in {@code fragments} frames of at most the frame limit Netty passes, finished or
   * not. Tracks what the assertions expect: past the limit over its fragments it must close with
   * 1009; a whole binary message handed over while the connection reads must close it. False
   * if the message was left unfinished: Netty refuses any data frame but a continuation after it.
   */
  private static boolean message(FuzzGateway gw, FuzzWebSocket ws, WebSocketFrameType type, byte[] payload, int fragments,
      boolean finish, boolean[] mustClose, boolean[] tooBig, int limit) {
    int per = Math.max(1, (payload.length + fragments - 1) / fragments);
    int at = 0;
    int n = 0;
    long size = 0;
    do {
      int len = Math.min(Math.min(per, limit), payload.length - at);
      byte[] part = Arrays.copyOfRange(payload, at, at + len);
      at += len;
      boolean fin = at >= payload.length && finish;
      WebSocketFrameType t = n++ == 0 ? type : WebSocketFrameType.CONTINUATION;
      size += len;
      boolean over = size > limit;
      FuzzGateway.trace("> " + t + (fin ? " fin " : " ") + len, len < 80 ? new String(part, StandardCharsets.UTF_8) : "");
      gw.on(() -> {
        boolean open = !ws.closed && ws.serverCloses.isEmpty() && !ws.closeReceived;
        int binaries = ws.binaryMessages;
        ws.receive(t, part, fin);
        tooBig[0] |= over && !ws.closed && !ws.closeReceived;
        mustClose[0] |= open && ws.binaryMessages > binaries;
        return null;
      });
      gw.settle(2);
    } while (at < payload.length);
    return finish;
  }

  /** Sizes where the limits are: around the frame limit and around the WebSocket message limit, or any. */
  private static int pickSize(FuzzedDataProvider data, int maxFrame, int limit) {
    return switch (data.consumeInt(0, 2)) {
      case 0 -> maxFrame + data.consumeInt(-2, 2);
      case 1 -> limit + data.consumeInt(-2, 2);
      default -> data.consumeInt(0, 2 * limit);
    };
  }

  /** A ping request of exactly {@code size} bytes (at least its skeleton). */
  private static byte[] padded(int n, int size) {
    String head = "{\"id\":\"p" + n + "\",\"type\":\"ping\",\"pad\":\"";
    String tail = "\"}";
    return bytes(head + "x".repeat(Math.max(0, size - head.length() - tail.length())) + tail);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
