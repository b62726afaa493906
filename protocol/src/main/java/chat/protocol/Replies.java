package chat.protocol;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers an event-bus request from a future, mapping failures to stable codes. */
public final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  public static void reply(Message<?> request, Future<?> result) {
    result.onComplete(
        ar -> {
          if (ar.succeeded()) {
            request.reply(ar.result());
          } else {
            ErrorCode code = codeOf(ar.cause());
            if (code == ErrorCode.INTERNAL) {
              LOG.warn("{} failed", request.address(), ar.cause());
            } else if (code == ErrorCode.UNAVAILABLE) {
              // an outage fails every request: the store logs it once, not one line per message
              LOG.debug("{} failed: {}", request.address(), ar.cause().getMessage());
            }
            request.fail(code.code(), String.valueOf(ar.cause().getMessage()));
          }
        });
  }

  /** The stable code behind a failure: ours, a remote verticle's, or INTERNAL. */
  public static ErrorCode codeOf(Throwable failure) {
    if (failure instanceof ProtocolException p) {
      return p.code();
    }
    if (failure instanceof ReplyException r) {
      if (r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return ErrorCode.fromCode(r.failureCode());
      }
      return ErrorCode.UNAVAILABLE;
    }
    return ErrorCode.INTERNAL;
  }

  /**
   * True when nobody consumes the address any more: on a clustered event bus, the JVM behind it
   * left the cluster. A timeout is not that: the other side may only be busy.
   */
  public static boolean noHandlers(Throwable failure) {
    return failure instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /** Serves an address with a future-returning handler; completes once the consumer is registered. */
  public static Future<Void> serve(
      io.vertx.core.eventbus.EventBus bus,
      String address,
      java.util.function.Function<io.vertx.core.json.JsonObject, Future<io.vertx.core.json.JsonObject>> handler) {
    return bus.<io.vertx.core.json.JsonObject>consumer(address, msg -> reply(msg, guard(handler, msg.body())))
        .completion();
  }

  /** Runs a handler, turning a thrown exception (a malformed request) into a failed future. */
  public static <I, O> Future<O> guard(java.util.function.Function<I, Future<O>> handler, I input) {
    try {
      return handler.apply(input);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  public static <T> Future<T> refuse(ErrorCode code, String message) {
    return Future.failedFuture(new ProtocolException(code, message));
  }
}
