package chat.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * What a {@link Connection} needs of its transport. TCP and WebSocket differ only here: how a
 * frame is delimited, how bytes come in, and how the connection ends; limits are the
 * connection's, login, dispatch and delivery the session's, and the same for both.
 */
interface Link {
  /** Hands the input, end and close of the transport to the connection. */
  void attach(Connection connection);

  /** One outbound frame, in the bytes the client expects. */
  Buffer frame(String json);

  /** Writes a frame; frames of one event-loop turn may share a system call, each still completes on its own. */
  Future<Void> write(Buffer frame);

  void pause();

  void resume();

  /** Writes a last frame, then closes; the client learns why it is closed. */
  void end(Buffer lastFrame);

  /** Closes once what was written is sent. */
  Future<Void> close();

  /**
   * Drops what is queued in the process but lets the kernel send what it took, then closes for
   * good after {@code lingerMs}; input is read and thrown away meanwhile, so unread requests in the
   * receive queue do not turn the close into a reset.
   */
  void abort(long lingerMs);

  /** Closes the transport now, without waiting for queued writes (a client that never reads would hold them forever). */
  void hardClose();

  /** Only protocol v2 is spoken here (the web client's WebSocket); a classic first frame is refused. */
  boolean v2Only();
}
