package chat.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The optional clustered event bus. Starts from vertx-hazelcast's default config (its
 * {@code __vertx.*} maps) and sets only the join: Kubernetes discovery when CHAT_K8S_SERVICE
 * names a headless service, otherwise TCP-IP with the listed members. Multicast stays off.
 */
final class HazelcastSetup {
  private HazelcastSetup() {}

  /** With the node's metrics ({@link NodeMetrics}). */
  static Future<Vertx> clusteredVertx(NodeConfig c) {
    return NodeMetrics.clusteredVertx(clusterManager(c));
  }

  /** Also what bin/vertx clusters with, so the split mode joins by the same CHAT_CLUSTER_* settings. */
  static HazelcastClusterManager clusterManager(NodeConfig c) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("chat");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.getNetworkConfig().setPort(c.clusterPort()).setPortAutoIncrement(true);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (c.k8sService() != null) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-name", c.k8sService());
    } else {
      hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(c.clusterHost());
      // listen on that interface only, not on every address of the host
      hz.setProperty("hazelcast.socket.bind.any", "false");
      var tcp = join.getTcpIpConfig().setEnabled(true);
      for (String member : c.clusterMembers().split(",")) {
        if (!member.isBlank()) {
          tcp.addMember(member.trim());
        }
      }
      if (tcp.getMembers().isEmpty()) {
        tcp.addMember(c.clusterHost() + ":" + c.clusterPort());
      }
    }
    return new HazelcastClusterManager(hz);
  }
}
