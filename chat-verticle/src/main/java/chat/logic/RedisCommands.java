package chat.logic;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * One Redis connection for commands, kept open and pipelined: commands leave in the order they
 * are issued and many are in flight at once. (The pooled client borrows a connection per command
 * and returns it after the reply, so with a pool of one it allowed a single command in flight.)
 * A lost connection is reopened by the next command. Used from one event loop only.
 */
final class RedisCommands {
  private final Redis client;
  private Future<RedisConnection> connection;

  RedisCommands(Redis client) {
    this.client = client;
  }

  Future<Response> send(Command command, List<String> args) {
    Request request = Request.cmd(command);
    args.forEach(request::arg);
    return connection().compose(conn -> conn.send(request));
  }

  private Future<RedisConnection> connection() {
    Future<RedisConnection> current = connection;
    if (current == null) {
      Promise<RedisConnection> opened = Promise.promise();
      Future<RedisConnection> attempt = opened.future();
      connection = attempt;
      current = attempt;
      client.connect().onComplete(ar -> {
        if (ar.succeeded()) {
          RedisConnection conn = ar.result();
          conn.exceptionHandler(e -> lost(attempt, conn));
          conn.endHandler(v -> lost(attempt, conn));
          opened.complete(conn);
        } else {
          lost(attempt, null);
          opened.fail(ar.cause());
        }
      });
    }
    // a connect that fails at once (a closed client, at shutdown) has already forgotten the
    // attempt: its failed future is still the answer
    return current;
  }

  private void lost(Future<RedisConnection> which, RedisConnection conn) {
    if (connection == which) {
      connection = null;
    }
    if (conn != null) {
      conn.close();
    }
  }

  Future<Void> close() {
    Future<RedisConnection> open = connection;
    connection = null;
    return (open == null ? Future.<Void>succeededFuture() : open.compose(RedisConnection::close).recover(e -> Future.succeededFuture()))
        .eventually(client::close);
  }
}
