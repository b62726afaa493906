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
  /**
   * Past the message limit, or dropped: nothing more is handed to the connection. A flag, not a
   * handler change: Vert.x refuses those once the peer's close frame was read, while data frames
   * read before it, queued behind a pause, are still handed over.
   */
  private boolean ignoring;

  /** {@code maxMessageBytes}: the server's message limit, held over all the fragments of a message. */
  WebSocketLink(ServerWebSocket ws, Vertx vertx, int maxMessageBytes) {
    this.ws = ws;
    this.vertx = vertx;
    this.messageSize = new MessageSize(maxMessageBytes);
  }

  @Override
  public void attach(Connection connection) {
    ws.textMessageHandler(text -> {
      if (!ignoring) {
        connection.onMessage(text);
      }
    });
    ws.binaryMessageHandler(b -> {
      if (!ignoring) {
        connection.onBinaryMessage();
      }
    });
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
    if (ignoring || !data || messageSize.frame(frame.isContinuation(), frame.isFinal(), frame.binaryData().length())) {
      return;
    }
    ignoring = true;
    LOG.debug("closing a WebSocket whose message passed its size limit over fragments");
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
    ignoring = true;
    ws.resume(); // read on and drop, so unread input does not turn the close into a reset
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
