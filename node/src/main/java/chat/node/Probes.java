package chat.node;

import chat.gateway.NodeCapacity;
import chat.protocol.Addresses;
import chat.protocol.bus.ChatStatus;
import chat.protocol.bus.StorePing;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.function.BooleanSupplier;

/**
 * The node's liveness and readiness with vertx-health-check. Live: the event loop answers, and
 * nothing external counts, so an outage of the database or of Redis never restarts a node that
 * would recover by itself. Ready: the node has started and is not stopping, the database answers
 * a ping, chat answers, Redis is up when configured and the node's own pub/sub ping comes back
 * through it within CHAT_PUBSUB_ROUNDTRIP_MS, logins are accepted (the bcrypt queue is
 * not full), each within {@link #CHECK_MS}, and the gateways admit new connections (capacity: not
 * at the connection cap, nor with the share of connections without a login full and none to
 * evict; a counter read); a balancer then routes around a node that cannot serve.
 */
final class Probes {
  static final long CHECK_MS = 2000;

  private final Vertx vertx;
  private final HealthChecks live;
  private final HealthChecks ready;

  Probes(Vertx vertx, BooleanSupplier serving, boolean redisConfigured) {
    this.vertx = vertx;
    this.live = HealthChecks.create(vertx).register("event-loop", p -> p.complete(Status.OK()));
    this.ready = HealthChecks.create(vertx)
        .register("serving", p -> p.complete(serving.getAsBoolean() ? Status.OK() : Status.KO(reason("starting or stopping"))))
        .register("database", CHECK_MS, p -> answered(vertx.eventBus().request(Addresses.STORE, new StorePing(), within()), p))
        .register("chat", CHECK_MS, p -> answered(status(), p))
        .register("logins", CHECK_MS, p -> status().onComplete(ar -> p.complete(ar.succeeded()
            && ar.result().hashes().pending() < ar.result().hashes().max() ? Status.OK() : Status.KO(reason("the login queue is full")))))
        .register("capacity", p -> {
          String full = NodeCapacity.refusing(vertx);
          p.complete(full == null ? Status.OK() : Status.KO(reason("new connections are refused: " + full)));
        });
    if (redisConfigured) {
      ready.register("redis", CHECK_MS, p -> status().onComplete(ar -> p.complete(ar.succeeded()
          && "up".equals(ar.result().redis()) ? Status.OK() : Status.KO(reason("Redis is unreachable")))));
      ready.register("pubsub", CHECK_MS, p -> status().onComplete(ar -> p.complete(ar.succeeded()
          && "ok".equals(ar.result().pubsub()) ? Status.OK()
          : Status.KO(reason("this node's own pub/sub ping has not come back within CHAT_PUBSUB_ROUNDTRIP_MS")))));
    }
  }

  HealthChecks live() {
    return live;
  }

  HealthChecks ready() {
    return ready;
  }

  private Future<ChatStatus.Report> status() {
    return vertx.eventBus().<ChatStatus.Report>request(Addresses.CHAT, new ChatStatus(), within()).map(Message::body);
  }

  private static DeliveryOptions within() {
    return new DeliveryOptions().setSendTimeout(CHECK_MS);
  }

  private static void answered(Future<?> request, Promise<Status> p) {
    request.onComplete(ar -> p.complete(ar.succeeded() ? Status.OK() : Status.KO(reason("no answer within " + CHECK_MS + " ms"))));
  }

  private static JsonObject reason(String why) {
    return new JsonObject().put("reason", why);
  }
}
