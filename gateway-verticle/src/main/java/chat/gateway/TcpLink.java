package chat.gateway;

import chat.protocol.FrameParser;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
  private BooleanSupplier nulDelimited = () -> false;

  /**
   * Flushes deferred in a row before one goes through at once: a long burst to one connection is
   * not held back until its end.
   */
  private static final int FLUSHES_PER_TURN = 256;

  TcpLink(NetSocket socket, Vertx vertx) {
    this.socket = socket;
    this.vertx = vertx;
    consolidateFlushes(((NetSocketInternal) socket).channelHandlerContext());
  }

  /**
   * Every flush is a system call: at v2 saturation a third of the node's CPU went to them, one per
   * frame, because Vert.x flushes each write made outside a read, and pushes and send replies come
   * from event-bus tasks. After a store batch the event loop runs a burst of such tasks, several of
   * them writing to one connection; Netty's handler defers their flushes to one task queued behind
   * that burst (an idle loop runs it at once), so the connection's frames leave in one system
   * call. Writes still go through the socket: each frame completes on its own (the delivery
   * watermark counts frames the kernel took), and a client that does not read fills the socket's
   * heap queue, not direct memory.
   */
  private static void consolidateFlushes(ChannelHandlerContext vertxHandler) {
    vertxHandler.pipeline().addBefore(vertxHandler.name(), "flush-consolidation", new FlushConsolidationHandler(FLUSHES_PER_TURN, true));
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
    return socket.write(frame);
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
