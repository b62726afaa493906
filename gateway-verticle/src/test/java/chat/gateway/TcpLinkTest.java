package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client receives over a real socket: the frames of one event-loop turn under one flush,
 * in order and ahead of an end; each frame completes on its own.
 */
@ExtendWith(VertxExtension.class)
class TcpLinkTest {
  private final AtomicInteger flushes = new AtomicInteger();
  /**
   * Held for the whole test: Vert.x 5 closes a NetClient, and every socket it opened, once the
   * client is garbage collected (CleanableNetClient), which a cold JVM's first GC did mid-test.
   */
  private NetClient client;

  /**
   * Counts flushes. From the first frame containing {@code failing} on, nothing reaches the wire
   * and every write fails, as after a connection reset halfway through a burst.
   */
  private final class Wire extends ChannelOutboundHandlerAdapter {
    private final String failing;
    private boolean reset;

    Wire(String failing) {
      this.failing = failing;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      reset |= failing != null && ((ByteBuf) msg).toString(StandardCharsets.UTF_8).contains(failing);
      if (reset) {
        ((ByteBuf) msg).release();
        promise.setFailure(new IllegalStateException("reset"));
      } else {
        ctx.write(msg, promise);
      }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
      ctx.flush();
    }
  }

  /**
   * Serves one connection with {@code serve}; completes with everything the client read until the
   * server ended it or {@code until} arrived. The server serves once the client says it is
   * reading: bytes and an end that came before the client's handlers were set would be lost.
   */
  private Future<String> exchange(Vertx vertx, String failing, String until, Handler<TcpLink> serve) {
    return vertx.createNetServer()
        .connectHandler(socket -> {
          ((NetSocketInternal) socket).channelHandlerContext().pipeline().addFirst(new Wire(failing));
          boolean[] served = {false};
          socket.handler(go -> {
            if (!served[0]) {
              served[0] = true;
              // a turn of its own, as a delivery's is: not inside the read of the client's byte
              vertx.runOnContext(v -> serve.handle(new TcpLink(socket, vertx)));
            }
          });
        })
        .listen(0, "127.0.0.1")
        .compose(server -> (client = vertx.createNetClient()).connect(server.actualPort(), "127.0.0.1"))
        .compose(client -> read(client, until));
  }

  private static Future<String> read(NetSocket client, String until) {
    Buffer got = Buffer.buffer();
    io.vertx.core.Promise<String> done = io.vertx.core.Promise.promise();
    client.handler(b -> {
      got.appendBuffer(b);
      if (got.toString().equals(until)) {
        done.tryComplete(got.toString());
      }
    });
    client.endHandler(v -> done.tryComplete(got.toString()));
    client.write("go");
    return done.future();
  }

  @Test
  void framesOfOneTurnGoOutUnderOneFlushInOrder(Vertx vertx, VertxTestContext test) {
    exchange(vertx, null, "a\nb\nc\n", link -> {
      link.write(link.frame("a"));
      link.write(link.frame("b"));
      link.write(link.frame("c"));
      test.verify(() -> assertThat(flushes.get()).as("nothing flushed during the turn").isZero());
    }).onComplete(test.succeeding(got -> test.verify(() -> {
      assertThat(got).isEqualTo("a\nb\nc\n");
      assertThat(flushes.get()).isEqualTo(1);
      test.completeNow();
    })));
  }

  /** The bound on deferral: a burst longer than FLUSHES_PER_TURN frames gets a flush at that point, not only at its end. */
  @Test
  void aLongBurstIsFlushedAtTheBoundAndAtItsEnd(Vertx vertx, VertxTestContext test) {
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      expected.append(i).append('\n');
    }
    exchange(vertx, null, expected.toString(), link -> {
      for (int i = 0; i < 300; i++) {
        link.write(link.frame(Integer.toString(i)));
      }
      test.verify(() -> assertThat(flushes.get()).as("one flush at the 256th frame").isEqualTo(1));
    }).onComplete(test.succeeding(got -> test.verify(() -> {
      assertThat(got).isEqualTo(expected.toString());
      assertThat(flushes.get()).isEqualTo(2);
      test.completeNow();
    })));
  }

  @Test
  void anEndComesAfterWhatWasWrittenInTheSameTurn(Vertx vertx, VertxTestContext test) {
    exchange(vertx, null, null, link -> {
      link.write(link.frame("a"));
      link.end(link.frame("bye"));
    }).onComplete(test.succeeding(got -> test.verify(() -> {
      assertThat(got).isEqualTo("a\nbye\n");
      test.completeNow();
    })));
  }

  /** A turn's frames leave in one system call, but the one the kernel took before a reset still counts as delivered. */
  @Test
  void framesBeforeAResetSucceedOnTheirOwn(Vertx vertx, VertxTestContext test) {
    Checkpoint both = test.checkpoint(2);
    exchange(vertx, "b", "a\n", link -> {
      Future<Void> a = link.write(link.frame("a"));
      Future<Void> b = link.write(link.frame("b"));
      Future<Void> c = link.write(link.frame("c"));
      Future.join(a, b, c).onComplete(ar -> test.verify(() -> {
        assertThat(a.succeeded()).isTrue();
        assertThat(b.failed()).isTrue();
        assertThat(c.failed()).isTrue();
        both.flag();
      }));
    }).onComplete(test.succeeding(got -> test.verify(() -> {
      assertThat(got).isEqualTo("a\n");
      both.flag();
    })));
  }
}
