package chat.bench.net;

import chat.bench.protocol.ChatProtocol;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Opens connections. Connection i runs on event loop {@code i % lanes} and binds its source
 * address to 127.0.0.{2 + i % sources}: one source address has only ~28k ephemeral ports
 * towards one server port, so many connections need several source addresses.
 */
public final class Connector {
  private final Vertx vertx;
  private final ChatProtocol protocol;
  private final List<Context> lanes;
  private final List<NetClient> clients = new ArrayList<>();

  private Connector(Vertx vertx, ChatProtocol protocol, List<Context> lanes, int sources) {
    this.vertx = vertx;
    this.protocol = protocol;
    this.lanes = lanes;
    for (int s = 0; s < sources; s++) {
      NetClientOptions options =
          new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000).setReuseAddress(true);
      if (sources > 1) {
        options.setLocalAddress("127.0.0." + (2 + s));
      }
      clients.add(vertx.createNetClient(options));
    }
  }

  /** Deploys one empty verticle per lane to own one event-loop context each. */
  public static Future<Connector> create(Vertx vertx, ChatProtocol protocol, int lanes, int sources) {
    if (sources < 1 || sources > 253) {
      throw new IllegalArgumentException("--local-addresses must be 1..253");
    }
    List<Context> contexts = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(() -> new LaneVerticle(contexts), new DeploymentOptions().setInstances(lanes))
        .map(id -> new Connector(vertx, protocol, List.copyOf(contexts), sources));
  }

  public Vertx vertx() {
    return vertx;
  }

  public List<Context> lanes() {
    return lanes;
  }

  public ChatProtocol protocol() {
    return protocol;
  }

  public Future<BenchClient> connect(Target target, int i) {
    Context lane = lanes.get(Math.floorMod(i, lanes.size()));
    NetClient client = clients.get(Math.floorMod(i, clients.size()));
    Promise<BenchClient> promise = Promise.promise();
    // Connecting from the lane's context binds the socket to that event loop.
    lane.runOnContext(
        v ->
            client
                .connect(target.port(), target.host())
                .map(socket -> new BenchClient(socket, lane, protocol))
                .onComplete(promise));
    return promise.future();
  }

  private static final class LaneVerticle extends VerticleBase {
    private final List<Context> contexts;

    LaneVerticle(List<Context> contexts) {
      this.contexts = contexts;
    }

    @Override
    public Future<?> start() {
      contexts.add(context);
      return Future.succeededFuture();
    }
  }
}
