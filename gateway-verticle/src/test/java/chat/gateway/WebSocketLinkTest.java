package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocketFrameType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocketLink} against Vert.x's rule that a WebSocket whose peer sent its close frame
 * refuses handler changes, while data frames read before that close frame, queued behind a pause
 * (the gateway pauses at its pending-request limit), are still handed over afterwards. Without a
 * socket: {@link FuzzWebSocket} behaves as Vert.x 5.0 does there.
 */
class WebSocketLinkTest {
  @AfterAll
  static void closeGateway() {
    FuzzGateway.closeShared();
  }

  private static FuzzWebSocket open(FuzzGateway gw) {
    gw.begin(0, 0);
    int limit = WebServer.webSocketLimit(gw.options);
    FuzzWebSocket ws = new FuzzWebSocket(gw, limit);
    gw.open(new WebSocketLink(ws.ws, gw.vertx, limit));
    return ws;
  }

  /** Found by WebSocketFuzzTest: the size check threw IllegalStateException("WebSocket is closed") into the event loop. */
  @Test
  void aMessagePastTheLimitQueuedBeforeThePeersCloseFrameClosesWithoutAnException() {
    FuzzGateway gw = FuzzGateway.get();
    int limit = WebServer.webSocketLimit(gw.options);
    FuzzWebSocket ws = open(gw);
    gw.on(() -> {
      ws.receive(WebSocketFrameType.TEXT, "{\"v\":2,\"id\":\"h\",\"type\":\"hello\"}".getBytes(StandardCharsets.UTF_8), true);
      ws.receive(WebSocketFrameType.TEXT, new byte[limit], false);
      ws.peerClose();
      ws.receive(WebSocketFrameType.CONTINUATION, new byte[1], false);
      return null;
    });
    gw.settle(4);
    assertThat(gw.escaped).as("exceptions that escaped to the event loop").isEmpty();
    assertThat(ws.serverCloses).contains(MessageSize.TOO_BIG);
    gw.on(() -> {
      ws.connectionClosed();
      return null;
    });
    gw.assertClean();
  }

  /** After a message past the limit nothing more of the connection's input is handled, closed or not. */
  @Test
  void noMessageIsHandedOnAfterOnePassedTheLimit() {
    FuzzGateway gw = FuzzGateway.get();
    int limit = WebServer.webSocketLimit(gw.options);
    FuzzWebSocket ws = open(gw);
    byte[] ping = "{\"v\":2,\"id\":\"p\",\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    gw.on(() -> {
      ws.receive(WebSocketFrameType.TEXT, new byte[limit], false);
      ws.receive(WebSocketFrameType.CONTINUATION, new byte[1], true);
      ws.receive(WebSocketFrameType.TEXT, ping, true);
      return null;
    });
    gw.settle(4);
    assertThat(ws.serverCloses).containsExactly(MessageSize.TOO_BIG);
    assertThat(ws.written).as("the ping after it is not answered").isEmpty();
    gw.on(() -> {
      ws.peerClose();
      ws.connectionClosed();
      return null;
    });
    gw.assertClean();
  }
}
