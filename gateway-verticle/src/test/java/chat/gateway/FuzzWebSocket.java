package chat.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.http.WebSocketInternal;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A server WebSocket without a socket, for {@link WebSocketFuzzTest}: it hands frames to the
 * handlers the way Vert.x 5.0 does (WebSocketImplBase: its message aggregator first, with the
 * message limit held over the fragments and a text message decoded leniently as UTF-8, then the
 * frame handler), and refuses handler changes and writes once the WebSocket counts as closed, as
 * Vert.x does: from the moment the peer's close frame is read, although data frames read before
 * it may still be queued behind a pause and handed over later. Only the methods
 * {@link WebSocketLink} calls are served. Confined to the fuzz gateway's event loop.
 */
final class FuzzWebSocket {
  private final FuzzGateway gw;
  private final int maxMessage;
  final ServerWebSocket ws;
  private Handler<String> text;
  private Handler<Buffer> binary;
  private Handler<WebSocketFrame> frames;
  private Handler<Void> closeHandler;
  private Buffer textMessage;
  private Buffer binaryMessage;
  /** The peer's close frame was read (Vert.x's closeStatusCode). */
  boolean closeReceived;
  /** The connection is closed. */
  boolean closed;
  /** Close statuses the server asked for, in order. */
  final List<Short> serverCloses = new ArrayList<>();
  final List<String> written = new ArrayList<>();
  /** Binary messages handed to the binary message handler. */
  int binaryMessages;
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

  FuzzWebSocket(FuzzGateway gw, int maxMessage) {
    this.gw = gw;
    this.maxMessage = maxMessage;
    this.ws = (ServerWebSocket) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ServerWebSocket.class, WebSocketInternal.class}, (proxy, m, args) -> call(m.getName(), args));
  }

  private boolean isClosed() {
    return closed || closeReceived;
  }

  private void checkClosed() {
    if (isClosed()) {
      throw new IllegalStateException("WebSocket is closed");
    }
  }

  @SuppressWarnings("unchecked")
  private Object call(String method, Object[] args) {
    Object arg = args == null || args.length == 0 ? null : args[0];
    switch (method) {
      case "textMessageHandler" -> {
        checkClosed();
        text = (Handler<String>) arg;
        if (arg == null) {
          textMessage = null;
        }
      }
      case "binaryMessageHandler" -> {
        checkClosed();
        binary = (Handler<Buffer>) arg;
        if (arg == null) {
          binaryMessage = null;
        }
      }
      case "frameHandler" -> {
        checkClosed();
        frames = (Handler<WebSocketFrame>) arg;
      }
      case "closeHandler" -> {
        checkClosed();
        closeHandler = (Handler<Void>) arg;
      }
      case "handler", "exceptionHandler", "endHandler" -> {
        if (arg != null) {
          checkClosed();
        }
      }
      case "writeFrame" -> {
        if (isClosed()) {
          return Future.failedFuture("WebSocket is closed");
        }
        written.add(((WebSocketFrame) arg).textData());
        return Future.succeededFuture();
      }
      case "close", "shutdown" -> {
        short status = 1000;
        for (Object a : args == null ? new Object[0] : args) {
          if (a instanceof Short s) {
            status = s;
          }
        }
        serverCloses.add(status);
        if (closeReceived) {
          gw.ctx.runOnContext(v -> connectionClosed()); // both sides said close: the server closes the TCP connection
        }
        return Future.succeededFuture();
      }
      case "channelHandlerContext" -> {
        return channel.pipeline().firstContext();
      }
      case "isClosed" -> {
        return isClosed();
      }
      case "pause", "resume", "fetch" -> {
        return ws;
      }
      case "hashCode" -> {
        return System.identityHashCode(this);
      }
      case "equals" -> {
        return ws == arg;
      }
      case "toString" -> {
        return "FuzzWebSocket";
      }
      default -> throw new UnsupportedOperationException("not served by the fuzz WebSocket: " + method);
    }
    return ws;
  }

  /** One frame read from the peer, handed over as Vert.x does; nothing once the connection is closed. */
  void receive(WebSocketFrameType type, byte[] payload, boolean fin) {
    if (closed) {
      return;
    }
    WebSocketFrameImpl frame = new WebSocketFrameImpl(type, Unpooled.wrappedBuffer(payload), fin);
    if (text != null || binary != null) {
      aggregate(frame);
    }
    if (frames != null) {
      frames.handle(frame);
    }
  }

  private void aggregate(WebSocketFrameImpl frame) {
    switch (frame.type()) {
      case TEXT -> textFrame(frame);
      case BINARY -> binaryFrame(frame);
      case CONTINUATION -> {
        if (textMessage != null && textMessage.length() > 0) {
          textFrame(frame);
        } else if (binaryMessage != null && binaryMessage.length() > 0) {
          binaryFrame(frame);
        }
      }
      default -> { }
    }
  }

  private void textFrame(WebSocketFrameImpl frame) {
    textMessage = (textMessage == null ? Buffer.buffer() : textMessage).appendBuffer(frame.binaryData());
    if (textMessage.length() > maxMessage) {
      textMessage = null; // Vert.x reports it to the exception handler and reads on
      return;
    }
    if (frame.isFinal()) {
      String message = new String(textMessage.getBytes(), StandardCharsets.UTF_8);
      textMessage = null;
      if (text != null) {
        text.handle(message);
      }
    }
  }

  private void binaryFrame(WebSocketFrameImpl frame) {
    binaryMessage = (binaryMessage == null ? Buffer.buffer() : binaryMessage).appendBuffer(frame.binaryData());
    if (binaryMessage.length() > maxMessage) {
      binaryMessage = null;
      return;
    }
    if (frame.isFinal()) {
      Buffer message = binaryMessage;
      binaryMessage = null;
      if (binary != null) {
        binaryMessages++;
        binary.handle(message);
      }
    }
  }

  /** The peer's close frame is read; frames read before it may still come (queued behind a pause). */
  void peerClose() {
    if (!closeReceived && !closed) {
      closeReceived = true;
      if (!serverCloses.isEmpty()) {
        gw.ctx.runOnContext(v -> connectionClosed());
      }
    }
  }

  /** The TCP connection is closed: the close handler, once. */
  void connectionClosed() {
    if (!closed) {
      closed = true;
      Handler<Void> h = closeHandler;
      closeHandler = null;
      if (h != null) {
        h.handle(null);
      }
    }
  }
}
