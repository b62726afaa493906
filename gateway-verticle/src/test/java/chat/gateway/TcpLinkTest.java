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

  /** Counts flushes; a frame containing {@code failing} never reaches the wire, as on a reset halfway. */
  private final class Wire extends ChannelOutboundHandlerAdapter {
    private final String failing;

    Wire(String failing) {
      this.failing = failing;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (failing != null && ((ByteBuf) msg).toString(StandardCharsets.UTF_8).contains(failing)) {
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

  /** Serves one connection with {@code serve}; completes with everything the client read until the server ended it or {@code until} arrived. */
  private Future<String> exchange(Vertx vertx, String failing, String until, Handler<TcpLink> serve) {
    return vertx.createNetServer()
        .connectHandler(socket -> {
          ((NetSocketInternal) socket).channelHandlerContext().pipeline().addFirst(new Wire(failing));
          serve.handle(new TcpLink(socket, vertx));
        })
        .listen(0, "127.0.0.1")
        .compose(server -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"))
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

  @Test
  void anEndComesAfterWhatWasWritten(Vertx vertx, VertxTestContext test) {
    exchange(vertx, null, null, link -> {
      link.write(link.frame("a"));
      link.end(link.frame("bye"));
    }).onComplete(test.succeeding(got -> test.verify(() -> {
      assertThat(got).isEqualTo("a\nbye\n");
      test.completeNow();
    })));
  }

  @Test
  void eachFrameSucceedsOrFailsOnItsOwn(Vertx vertx, VertxTestContext test) {
    Checkpoint both = test.checkpoint(2);
    exchange(vertx, "b", "a\nc\n", link -> {
      Future<Void> a = link.write(link.frame("a"));
      Future<Void> b = link.write(link.frame("b"));
      Future<Void> c = link.write(link.frame("c"));
      Future.join(a, b, c).onComplete(ar -> test.verify(() -> {
        assertThat(a.succeeded()).isTrue();
        assertThat(b.failed()).isTrue();
        assertThat(c.succeeded()).isTrue();
        both.flag();
      }));
    }).onComplete(test.succeeding(got -> test.verify(() -> {
      assertThat(got).isEqualTo("a\nc\n");
      both.flag();
    })));
  }
}
