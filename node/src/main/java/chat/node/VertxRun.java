package chat.node;

import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/vertx run}: the Vert.x 5 launcher, with the split mode's settings checked before
 * Vert.x starts, so a bad value gives the same one line as {@code java -jar} and exit code 2
 * instead of a failed deployment's stack trace. Each JVM serves the management port, with the
 * node's metrics ({@link SplitManagement}).
 */
public final class VertxRun {
  private static final Set<String> VERTICLES = Set.of(BackendVerticle.class.getName(), GatewaysVerticle.class.getName());

  private VertxRun() {}

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    if (args.length == 0 || !VERTICLES.contains(args[0])) {
      // the verticles of the other modules take their options as JSON written by the node, not CHAT_* settings
      System.err.println("bin/vertx runs " + String.join(" or ", VERTICLES.stream().sorted().toList()));
      System.exit(2);
    }
    int code = new VertxApplication(args, new VertxApplicationHooks() {
      private NodeConfig checked;
      private final SplitManagement management = new SplitManagement();

      @Override
      public JsonObject afterConfigParsed(JsonObject config) {
        JsonObject settings = SplitMode.settings(config, System.getenv());
        try {
          checked = SplitMode.checked(args[0], settings);
          LogLayout.apply(checked.logFormat(), checked.nodeId());
        } catch (IllegalArgumentException e) {
          LoggerFactory.getLogger(VertxRun.class).error("bad configuration: {}", e.getMessage());
          System.exit(2);
        }
        return settings;
      }

      @Override
      public VertxBuilder createVertxBuilder(VertxOptions options) {
        // with -cluster, members join as the jar's do: CHAT_CLUSTER_HOST/PORT/MEMBERS or CHAT_K8S_SERVICE
        return management.builder(options).withClusterManager(HazelcastSetup.clusterManager(checked));
      }

      @Override
      public void afterVertxStarted(HookContext context) {
        try {
          management.start(context.vertx(), checked);
        } catch (Exception e) {
          Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
          LoggerFactory.getLogger(VertxRun.class).error("management port {}:{} did not start: {}", checked.managementHost(),
              checked.managementPort(), cause.toString());
          System.exit(1);
        }
      }

      @Override
      public void afterVerticleDeployed(HookContext context) {
        management.deployed(true);
      }

      @Override
      public void beforeStoppingVertx(HookContext context) {
        management.deployed(false);
      }
    }).launch();
    if (code != 0) {
      System.exit(code);
    }
  }
}
