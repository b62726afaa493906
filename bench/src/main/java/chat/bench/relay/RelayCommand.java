package chat.bench.relay;

import chat.bench.net.Target;
import chat.bench.protocol.FrameSplitter;
import chat.bench.util.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "relay", mixinStandardHelpOptions = true,
    description = {"An in-memory classic-protocol relay that stores nothing: the ceiling for the closed scenario.",
        "Register and login always succeed; chats go to the recipient's connection. Stops on SIGTERM or after --max-seconds."})
public final class RelayCommand implements Callable<Integer> {
  @Option(names = "--listen", defaultValue = "127.0.0.1:6190", description = "host:port, 127.0.0.0/8 only (default ${DEFAULT-VALUE})")
  String listen;

  @Option(names = "--threads", defaultValue = "2", description = "event loops, one server instance each (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--max-seconds", defaultValue = "3600", description = "exits after this long whatever happens (default ${DEFAULT-VALUE})")
  long maxSeconds;

  @Override
  public Integer call() throws InterruptedException {
    Target at = Target.parse(listen); // the loopback check, as for targets
    RelayRouter router = new RelayRouter();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads));
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    // on SIGTERM the JVM halts once the hooks return: hold it until the counts are printed
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        done.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    try {
      Await.result(vertx.deployVerticle(() -> new Listener(router, at), new DeploymentOptions().setInstances(threads)), 30);
      System.out.println("relay listening on " + at);
      stop.await(maxSeconds, TimeUnit.SECONDS);
      System.out.printf("relay: %d forwarded, %d dropped (recipient not online)%n", router.forwarded(), router.dropped());
    } finally {
      Await.result(vertx.close(), 30);
      done.countDown();
    }
    return 0;
  }

  private static final class Listener extends VerticleBase {
    private final RelayRouter router;
    private final Target at;

    Listener(RelayRouter router, Target at) {
      this.router = router;
      this.at = at;
    }

    @Override
    public Future<?> start() {
      return vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setHost(at.host()).setPort(at.port()))
          .connectHandler(socket -> {
            RelayRouter.Session session = router.open(socket::write);
            FrameSplitter frames = new FrameSplitter(64 * 1024, session::onFrame);
            socket.handler(chunk -> {
              try {
                frames.feed(chunk);
              } catch (FrameSplitter.FrameTooLargeException e) {
                socket.close();
              }
            });
            socket.closeHandler(v -> session.close());
            socket.exceptionHandler(e -> { });
          })
          .listen();
    }
  }
}
