package chat.gateway;

import chat.protocol.FrameParser;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A TCP connection: a byte stream cut into frames by the session's parser; replies use the client's delimiter. */
final class TcpLink implements Link {
  private static final Logger LOG = LoggerFactory.getLogger(TcpLink.class);

  private final NetSocket socket;
  private final Vertx vertx;
  /**
   * Where frames go: straight into the channel, so that they can be written now and flushed later
   * ({@link #flush}). end() and close() still go through the socket, behind what is here.
   */
  private final ChannelHandlerContext out;
  private final ContextInternal context;
  private BooleanSupplier nulDelimited = () -> false;
  private boolean flushQueued;

  TcpLink(NetSocket socket, Vertx vertx) {
    this.socket = socket;
    this.vertx = vertx;
    this.out = ((NetSocketInternal) socket).channelHandlerContext();
    this.context = (ContextInternal) vertx.getOrCreateContext();
  }

  @Override
  public void attach(Connection connection) {
    FrameParser parser = connection.parser();
    nulDelimited = parser::nulDelimited;
    socket.handler(connection::onBytes);
    socket.endHandler(v -> connection.onEnd());
    socket.closeHandler(v -> connection.onClosed());
    socket.exceptionHandler(e -> LOG.debug("connection error", e));
  }

  @Override
  public boolean v2Only() {
    return false;
  }

  @Override
  public Buffer frame(String json) {
    return Buffer.buffer(json.length() + 16).appendString(json).appendByte(nulDelimited.getAsBoolean() ? (byte) 0 : (byte) '\n');
  }

  @Override
  public Future<Void> write(Buffer frame) {
    PromiseInternal<Void> written = context.promise();
    out.write(((BufferInternal) frame).getByteBuf(), out.newPromise().addListener(written));
    if (!flushQueued) {
      flushQueued = true;
      out.executor().execute(this::flush);
    }
    return written.future();
  }

  /**
   * Every flush is a system call (at v2 saturation a third of the node's CPU went to them, one
   * per frame). After a store batch the event loop writes a burst of pushes and send replies,
   * several to one connection: one flush queued behind that burst sends them in one call. An
   * idle loop runs it at once. Each frame still completes on its own once the kernel has it all,
   * so a connection dropped halfway through keeps its delivery watermark exact.
   */
  private void flush() {
    flushQueued = false;
    out.flush();
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public void end(Buffer lastFrame) {
    socket.end(lastFrame);
  }

  @Override
  public Future<Void> close() {
    return socket.close();
  }

  @Override
  public void abort(long lingerMs) {
    socket.handler(ignored -> {});
    socket.resume();
    Channel ch = channel(socket);
    if (ch instanceof DuplexChannel duplex) {
      duplex.shutdownOutput();
    }
    vertx.setTimer(lingerMs, id -> hardClose());
  }

  @Override
  public void hardClose() {
    hardClose(channel(socket));
  }

  /**
   * NetSocket.close() and Channel.close() both pass through Vert.x's handler, which waits for
   * queued writes to flush: for a client that does not read, forever. The transport-level close
   * drops them.
   */
  static void hardClose(Channel ch) {
    ch.eventLoop().execute(() -> ch.unsafe().close(ch.voidPromise()));
  }

  static Channel channel(NetSocket socket) {
    return ((NetSocketInternal) socket).channelHandlerContext().channel();
  }
}
