package chat.bench;

import chat.bench.net.Connector;
import chat.bench.net.Target;
import chat.bench.protocol.ChatProtocol;
import chat.bench.result.RunRecord;
import chat.bench.setup.UserPool;
import chat.bench.util.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every scenario shares, and the Vert.x instance built from them. */
public final class Common implements AutoCloseable {
  @Option(names = "--target", description = "server host:port, 127.0.0.0/8 only (default ${DEFAULT-VALUE}); cross takes two", defaultValue = "127.0.0.1:6100")
  List<String> targets = new ArrayList<>();

  @Option(names = "--protocol", defaultValue = "classic", description = "wire protocol (default ${DEFAULT-VALUE})")
  String protocol;

  @Option(names = "--prefix", defaultValue = "bench", description = "user name prefix; users are reused across runs (default ${DEFAULT-VALUE})")
  public String prefix;

  @Option(names = "--state-dir", defaultValue = "bench/state", description = "where ids of set-up users are kept (default ${DEFAULT-VALUE})")
  Path stateDir;

  @Option(names = "--out", defaultValue = "bench/results", description = "result directory (default ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--threads", defaultValue = "2", description = "bench event loops (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--local-addresses", defaultValue = "1", description = "spread source addresses over 127.0.0.2..127.0.0.(1+N); 1 = let the OS pick (default ${DEFAULT-VALUE})")
  int localAddresses;

  @Option(names = "--setup-concurrency", defaultValue = "32", description = "registrations/logins in flight during setup (default ${DEFAULT-VALUE})")
  int setupConcurrency;

  @Option(names = "--server-pid", description = "server pid(s), for JVM flags, bcrypt cost, RSS and heap")
  List<Long> serverPids = new ArrayList<>();

  @Option(names = "--note", description = "free text stored with the result")
  String note;

  private Vertx vertx;
  private Connector connector;

  public List<Target> targets() {
    List<Target> list = new ArrayList<>();
    for (String t : targets) {
      list.add(Target.parse(t));
    }
    return list;
  }

  public Target target() {
    return targets().get(0);
  }

  public Connector connector() {
    if (connector == null) {
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads));
      connector = Await.result(Connector.create(vertx, ChatProtocol.byName(protocol), threads, localAddresses), 30);
    }
    return connector;
  }

  public UserPool users(int count) {
    return UserPool.ensure(connector(), target(), prefix, stateDir, count, setupConcurrency);
  }

  public RunRecord record(String scenario) {
    RunRecord r = new RunRecord(scenario).note(note).servers(serverPids);
    r.param("protocol", protocol).param("targets", String.join(",", targets)).param("benchThreads", threads);
    return r;
  }

  public String protocolName() {
    return protocol;
  }

  public int localAddressCount() {
    return localAddresses;
  }

  public List<Long> serverPids() {
    return serverPids;
  }

  public Path out() {
    return out;
  }

  @Override
  public void close() {
    if (vertx != null) {
      Await.result(vertx.close(), 30);
    }
  }
}
