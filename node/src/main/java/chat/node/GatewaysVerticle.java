package chat.node;

import chat.gateway.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The TCP gateways of a {@code vertx run} deployment, {@code CHAT_GATEWAY_INSTANCES} of them,
 * talking to a {@link BackendVerticle} over the clustered event bus. Config: CHAT_* settings, as
 * for {@code java -jar}, with environment variables over the file ({@link SplitMode}). They serve
 * no HTTP port: /health and the web client come with the node's gateways only.
 */
public final class GatewaysVerticle extends VerticleBase {
  @Override
  public Future<?> start() {
    return SplitMode.config(config(), GatewaysVerticle.class).compose(c -> vertx.deployVerticle(() -> new GatewayVerticle(),
        new DeploymentOptions().setConfig(c.gateway().toJson()).setInstances(c.gatewayInstances())));
  }
}
