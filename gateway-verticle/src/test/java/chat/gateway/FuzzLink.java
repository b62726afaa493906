package chat.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP-like link without a socket for the fuzz tests: frames the session writes are kept, and
 * any end the connection asks for (end, close, abort) closes it on a later turn, as a socket's
 * close handler would. Confined to the fuzz gateway's event loop.
 */
final class FuzzLink implements Link {
  private final FuzzGateway gw;
  final List<String> written = new ArrayList<>();
  Connection connection;
  boolean ended;
  private boolean closed;

  FuzzLink(FuzzGateway gw) {
    this.gw = gw;
  }

  @Override
  public void attach(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Buffer frame(String json) {
    return Buffer.buffer(json).appendByte((byte) '\n');
  }

  @Override
  public Future<Void> write(Buffer frame) {
    if (closed) {
      return Future.failedFuture("closed");
    }
    written.add(frame.toString().stripTrailing());
    return Future.succeededFuture();
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void end(Buffer lastFrame) {
    write(lastFrame);
    close();
  }

  @Override
  public Future<Void> close() {
    peerGone();
    return Future.succeededFuture();
  }

  @Override
  public void abort(long lingerMs) {
    peerGone();
  }

  @Override
  public void hardClose() {
    peerGone();
  }

  /** The socket closes: its end and its close, once, after the callbacks now running. */
  void peerGone() {
    ended = true;
    if (!closed) {
      closed = true;
      gw.ctx.runOnContext(v -> {
        connection.onEnd();
        connection.onClosed();
      });
    }
  }

  @Override
  public boolean v2Only() {
    return false;
  }

  /** The frames written so far, from {@code from} on, as JSON (each must be a JSON object). */
  List<JsonObject> frames(int from) {
    List<JsonObject> out = new ArrayList<>();
    for (String w : written.subList(from, written.size())) {
      out.add(new JsonObject(w));
    }
    return out;
  }
}
