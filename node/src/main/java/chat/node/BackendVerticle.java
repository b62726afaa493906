package chat.node;

import chat.logic.ChatVerticle;
import chat.persistence.PersistenceVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/**
 * Chat and persistence in one JVM, for {@code vertx run} deployments where gateways run
 * elsewhere on the clustered event bus. Config: {"persistence": {...}, "chat": {...}}, the
 * same keys as PersistenceVerticle and ChatVerticle take.
 */
public final class BackendVerticle extends VerticleBase {
  @Override
  public Future<?> start() {
    JsonObject persistence = config().getJsonObject("persistence", new JsonObject());
    JsonObject chat = config().getJsonObject("chat", new JsonObject());
    return vertx.deployVerticle(new PersistenceVerticle(), new DeploymentOptions().setConfig(persistence))
        .compose(id -> vertx.deployVerticle(new ChatVerticle(), new DeploymentOptions().setConfig(chat)));
  }
}
