package chat.node;

import chat.logic.ChatMetrics;
import chat.logic.ChatVerticle;
import chat.persistence.PersistenceVerticle;
import chat.persistence.StoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Chat and persistence in one JVM, for {@code vertx run} deployments where gateways run
 * elsewhere on the clustered event bus ({@link GatewaysVerticle}). Config: CHAT_* settings, as
 * for {@code java -jar}, with environment variables over the file ({@link SplitMode}). Its
 * meters go to the registry of the launcher's Vert.x, served on the management port.
 */
public final class BackendVerticle extends VerticleBase {
  @Override
  public Future<?> start() {
    MeterRegistry metrics = NodeMetrics.of(vertx);
    return SplitMode.config(config(), BackendVerticle.class).compose(c -> vertx
        .deployVerticle(new PersistenceVerticle(new StoreMetrics(metrics)), new DeploymentOptions().setConfig(c.persistence().toJson()))
        .compose(id -> vertx.deployVerticle(new ChatVerticle(new ChatMetrics(metrics)), new DeploymentOptions().setConfig(c.chat().toJson()))));
  }
}
