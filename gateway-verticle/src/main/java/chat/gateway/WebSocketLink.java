package chat.gateway;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket connection (the web client): one v2 frame per text message, so messages go to the
 * session whole, and replies are text messages without a delimiter.
 */
final class WebSocketLink implements Link {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketLink.class);
  /** WebSocket close status for "policy violation": the error frame before it says which. */
  private static final short POLICY = 1008;

  private final ServerWebSocket ws;
  private final Vertx vertx;
  private final MessageSize messageSize;
  private boolean tooBig;

  /** {@code maxMessageBytes}: the server's message limit, held over all the fragments of a message. */
  WebSocketLink(ServerWebSocket ws, Vertx vertx, int maxMessageBytes) {
    this.ws = ws;
    this.vertx = vertx;
    this.messageSize = new MessageSize(maxMessageBytes);
  }

  @Override
  public void attach(Connection connection) {
    ws.textMessageHandler(connection::onMessage);
    ws.binaryMessageHandler(b -> connection.onBinaryMessage());
    ws.frameHandler(this::onFrame);
    // a WebSocket has no half-close: its end is its close
    ws.closeHandler(v -> {
      connection.onEnd();
      connection.onClosed();
    });
    ws.exceptionHandler(e -> LOG.debug("websocket error", e));
  }

  /** Past the message limit Vert.x drops the message and reads on: here the connection closes. */
  private void onFrame(WebSocketFrame frame) {
    boolean data = frame.isText() || frame.isBinary() || frame.isContinuation();
    if (tooBig || !data || messageSize.frame(frame.isContinuation(), frame.isFinal(), frame.binaryData().length())) {
      return;
    }
    tooBig = true;
    LOG.debug("closing a WebSocket whose message passed its size limit over fragments");
    ws.textMessageHandler(null);
    ws.binaryMessageHandler(null);
    ws.close(MessageSize.TOO_BIG, "message too big");
  }

  @Override
  public boolean v2Only() {
    return true;
  }

  @Override
  public Buffer frame(String json) {
    return Buffer.buffer(json);
  }

  @Override
  public Future<Void> write(Buffer frame) {
    // the bytes are already UTF-8: a text frame over them saves encoding the string twice
    return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) frame).getByteBuf(), true));
  }

  @Override
  public void pause() {
    ws.pause();
  }

  @Override
  public void resume() {
    ws.resume();
  }

  @Override
  public void end(Buffer lastFrame) {
    write(lastFrame);
    ws.close(POLICY);
  }

  @Override
  public Future<Void> close() {
    return ws.close();
  }

  @Override
  public void abort(long lingerMs) {
    ws.handler(ignored -> {});
    ws.textMessageHandler(null);
    ws.binaryMessageHandler(null);
    ws.resume();
    Channel ch = channel();
    if (ch instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    vertx.setTimer(lingerMs, id -> hardClose());
  }

  @Override
  public void hardClose() {
    TcpLink.hardClose(channel());
  }

  private Channel channel() {
    return ((WebSocketInternal) ws).channelHandlerContext().channel();
  }
}
