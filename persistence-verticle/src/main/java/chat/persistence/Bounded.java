package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Database handlers answer within a bound. A stalled server would otherwise keep each caller
 * waiting for the 30 s event-bus timeout; a lost connection would otherwise read as INTERNAL.
 */
final class Bounded {
  private Bounded() {}

  /** Runs one handler within the bound; a thrown exception is a failed future like any other. */
  static <T> Future<T> run(long timeoutMs, Supplier<Future<T>> handler) {
    return bound(timeoutMs, Replies.guard(h -> h.get(), handler));
  }

  private static <T> Future<T> bound(long timeoutMs, Future<T> result) {
    return result
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(unavailable(e) ? new ProtocolException(ErrorCode.UNAVAILABLE, "database unavailable") : e));
  }

  /**
   * Whatever is neither our refusal nor an error the server reported for a statement is the
   * connection: refused, closed, timed out.
   */
  static boolean unavailable(Throwable e) {
    return !(e instanceof ProtocolException) && !(e instanceof MySQLException) && !(e instanceof RuntimeException r && isBug(r));
  }

  private static boolean isBug(RuntimeException e) {
    return e instanceof NullPointerException || e instanceof ClassCastException || e instanceof IllegalArgumentException;
  }
}
