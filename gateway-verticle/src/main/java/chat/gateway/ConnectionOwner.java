package chat.gateway;

import chat.protocol.ErrorCode;
import io.vertx.core.buffer.Buffer;

/** What a {@link Connection} carries: the session above it, which knows what frames mean. */
interface ConnectionOwner {
  /** A whole frame within the limits. */
  void onFrame(Buffer frame);

  /** An error frame without a request to answer, in the protocol spoken (or attempted). */
  String errorFrame(ErrorCode code, String text);

  /** The login on the connection: timeouts and bans depend on it, and a closed one handles nothing. */
  LoginFlow login();

  int userId();

  /** The connection is gone and its last frames are handled: the login ends. */
  void signedOff();
}
