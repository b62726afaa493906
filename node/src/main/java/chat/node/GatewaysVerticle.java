package chat.node;

import chat.gateway.GatewayMetrics;
import chat.gateway.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The TCP gateways of a {@code vertx run} deployment, {@code CHAT_GATEWAY_INSTANCES} of them,
 * talking to a {@link BackendVerticle} over the clustered event bus. Config: CHAT_* settings, as
 * for {@code java -jar}, with environment variables over the file ({@link SplitMode}). They serve
 * no public HTTP port (the web client and the status-only /health come with the node's gateways
 * only); under {@code bin/vertx run} the JVM serves the management port, as the jar's does:
 * /health/live, /health/ready (chat and the database asked over the clustered bus), /health and
 * /metrics ({@link SplitManagement}).
 */
public final class GatewaysVerticle extends VerticleBase {
  @Override
  public Future<?> start() {
    // one for all instances, as on the jar's node: the connection gauges add up
    GatewayMetrics metrics = new GatewayMetrics(NodeMetrics.of(vertx));
    return SplitMode.config(config(), GatewaysVerticle.class).compose(c -> vertx.deployVerticle(() -> new GatewayVerticle(metrics),
        new DeploymentOptions().setConfig(c.gateway().toJson()).setInstances(c.gatewayInstances())));
  }
}
