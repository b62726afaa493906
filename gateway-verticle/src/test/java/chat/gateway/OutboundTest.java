package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound budget with the node over its total: frames of this turn are not yet unread. */
class OutboundTest {
  /** A socket whose writes complete only when the test says the client read them. */
  private static final class Wire implements Link {
    final List<Promise<Void>> pending = new ArrayList<>();

    @Override
    public Buffer frame(String json) {
      return Buffer.buffer(json);
    }

    @Override
    public Future<Void> write(Buffer frame) {
      Promise<Void> p = Promise.promise();
      pending.add(p);
      return p.future();
    }

    void clientReads() {
      pending.forEach(Promise::tryComplete);
      pending.clear();
    }

    @Override
    public void attach(Connection connection) {}

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void end(Buffer lastFrame) {}

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public void abort(long lingerMs) {}

    @Override
    public void hardClose() {}

    @Override
    public boolean v2Only() {
      return false;
    }
  }

  private final Wire wire = new Wire();
  private final List<Runnable> turnEnds = new ArrayList<>();
  /** A node whose outbound total is already past its limit, as with many clients that do not read. */
  private final ConnectionGuard overloadedNode = new ConnectionGuard(
      GatewayOptions.from(new JsonObject().put("nodeOutboundBytes", 1)), System::nanoTime);
  private final Outbound outbound = new Outbound(wire, overloadedNode, 2 * 1024 * 1024, turnEnds::add);

  private void endTurn() {
    List<Runnable> due = new ArrayList<>(turnEnds);
    turnEnds.clear();
    due.forEach(Runnable::run);
  }

  private static String frame(int bytes) {
    return "x".repeat(bytes);
  }

  @Test
  void aBurstOfOneTurnIsNotHeldAgainstAReader() {
    for (int i = 0; i < 10; i++) {
      outbound.write(frame(10_000));
      assertThat(outbound.overBudget()).as("frame %d of the turn: 100 KB not flushed yet", i).isFalse();
    }
    assertThat(turnEnds).as("one task per turn").hasSize(1);
    endTurn();
    wire.clientReads();
    outbound.write(frame(10_000));
    assertThat(outbound.overBudget()).isFalse();
    assertThat(outbound.outstanding()).isEqualTo(10_000);
  }

  @Test
  void whatIsStillUnreadAfterItsTurnCountsAgainstTheNodeShare() {
    for (int i = 0; i < 10; i++) {
      outbound.write(frame(10_000));
    }
    endTurn(); // flushed, and the client did not read
    outbound.write(frame(100));
    assertThat(outbound.overBudget()).as("100 KB unread from an earlier turn, over the 64 KiB share").isTrue();
  }

  @Test
  void theConnectionBudgetCountsEverythingAtOnce() {
    Outbound small = new Outbound(wire, new ConnectionGuard(GatewayOptions.from(new JsonObject()), System::nanoTime),
        50_000, turnEnds::add);
    small.write(frame(40_000));
    assertThat(small.overBudget()).isFalse();
    small.write(frame(20_000));
    assertThat(small.overBudget()).as("past the connection's own budget, even within one turn").isTrue();
  }
}
