package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fourteen addresses fill the node (hardening 2, attack 3, the connection part): 14 × 240 idle
 * connections that never log in, against a node whose cap (3,072) they would fill, so that every
 * new login got 1017 "server full". Connections without a login hold a bounded share (64 per
 * address, a quarter of the cap in all); past it the oldest idle ones are closed first, and a
 * client from a new address registers and logs in at once.
 */
class PreLoginFloodIT {
  private static final int ADDRESSES = 14;
  private static final int PER_ADDRESS = 240;
  private static final int CAP = 3072;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    // the connection caps at their defaults for this cap; the connect rate is not what is under test
    node = TestNode.start(new JsonObject()
        .put("CHAT_MAX_CONNECTIONS", CAP)
        .put("CHAT_MAX_CONNECTIONS_PER_IP", 256)
        .put("CHAT_PRELOGIN_PER_IP", 64)
        .put("CHAT_MAX_PRELOGIN", CAP / 4));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  @Test
  void idleConnectionsWithoutALoginCannotKeepANewAddressOut() throws Exception {
    List<SocketChannel> flood = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      long began = System.nanoTime();
      int failed = 0;
      for (int i = 0; i < PER_ADDRESS; i++) {
        for (int a = 0; a < ADDRESSES; a++) {
          try {
            SocketChannel ch = SocketChannel.open();
            flood.add(ch);
            ch.bind(new InetSocketAddress("127.0.0." + (10 + a), 0));
            ch.socket().connect(new InetSocketAddress("127.0.0.1", node.port), 2000);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
          } catch (IOException e) {
            failed++;
          }
        }
      }
      long openedMs = (System.nanoTime() - began) / 1_000_000;
      int closed = closedWithin(selector, 2000);
      int held = ADDRESSES * PER_ADDRESS - failed - closed;
      System.out.printf("PreLoginFloodIT: %d idle connections from %d addresses in %d ms: %d held, %d closed (refused or evicted), %d failed%n",
          ADDRESSES * PER_ADDRESS, ADDRESSES, openedMs, held, closed, failed);
      assertThat(held).as("the attack holds connections without a login").isGreaterThan(CAP / 8);
      assertThat(held).as("at most the pre-login share, a quarter of the cap").isLessThanOrEqualTo(CAP / 4);

      long t0 = System.nanoTime();
      try (ClassicClient c = new ClassicClient("127.0.0.1", node.port, "127.0.0.30")) {
        c.register(ClassicClient.unique("newaddr"));
        c.loginOk();
      }
      long loginMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("PreLoginFloodIT: a client from a new address registered and logged in in %d ms%n", loginMs);
      assertThat(loginMs).isLessThan(5000);
    } finally {
      for (SocketChannel ch : flood) {
        ch.close();
      }
    }
  }

  /** Channels the server closes (after an error frame) within {@code ms}. */
  private static int closedWithin(Selector selector, long ms) throws IOException {
    int closed = 0;
    ByteBuffer buf = ByteBuffer.allocate(1024);
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      if (selector.select(Math.max(1, end - System.currentTimeMillis())) == 0) {
        continue;
      }
      for (SelectionKey k : selector.selectedKeys()) {
        int n;
        do {
          buf.clear();
          try {
            n = ((SocketChannel) k.channel()).read(buf);
          } catch (IOException reset) {
            n = -1;
          }
        } while (n > 0);
        if (n < 0) {
          closed++;
          k.cancel();
        }
      }
      selector.selectedKeys().clear();
    }
    return closed;
  }
}
