package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.gateway.ConnectionLife.State;
import chat.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every way a connection ends, with a fake link, owner and timers. */
class ConnectionEndTest {
  /** What the link was told, in order. */
  private final List<String> wire = new ArrayList<>();
  private final LoginFlow login = new LoginFlow();
  private final TreeMap<Long, List<Runnable>> timers = new TreeMap<>();
  private long now;
  private int inFlight;
  private int signedOff;
  private int socketGone;
  private int slotsFreed;

  private final Link link = new Link() {
    @Override
    public void attach(Connection connection) {}

    @Override
    public Buffer frame(String json) {
      return Buffer.buffer(json);
    }

    @Override
    public Future<Void> write(Buffer frame) {
      wire.add("write " + frame);
      return Future.succeededFuture();
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void end(Buffer lastFrame) {
      wire.add("end " + lastFrame);
    }

    @Override
    public Future<Void> close() {
      wire.add("close");
      return Future.succeededFuture();
    }

    @Override
    public void abort(long lingerMs) {
      wire.add("abort");
    }

    @Override
    public void hardClose() {}

    @Override
    public boolean v2Only() {
      return false;
    }
  };

  private final ConnectionOwner owner = new ConnectionOwner() {
    @Override
    public void onFrame(Buffer frame) {}

    @Override
    public String errorFrame(ErrorCode code, String text) {
      return code.code() + ":" + text;
    }

    @Override
    public LoginFlow login() {
      return login;
    }

    @Override
    public int userId() {
      return 1;
    }

    @Override
    public void signedOff() {
      signedOff++;
      login.close();
    }
  };

  private final ConnectionTrail trail = new ConnectionTrail(new ConnectionLog(100, 0), 1, "10.0.0.1", "tcp");
  private final ConnectionEnd end = new ConnectionEnd(link, owner,
      (ms, action) -> timers.computeIfAbsent(now + ms, k -> new ArrayList<>()).add(action),
      () -> inFlight, () -> socketGone++, () -> slotsFreed++, trail);

  /** Runs the timers due by {@code ms} from now, in order, the later ones they set included. */
  private void advance(long ms) {
    long until = now + ms;
    while (!timers.isEmpty() && timers.firstKey() <= until) {
      var due = timers.pollFirstEntry();
      now = due.getKey();
      due.getValue().forEach(Runnable::run);
    }
    now = until;
  }

  private void loggedIn() {
    login.begin();
    login.accepted();
  }

  @Test
  void anErrorWithNothingInFlightEndsTheStreamWithItsFrameAndDropsAClientThatDoesNotClose() {
    end.closeWithError(ErrorCode.BAD_JSON, "bad");
    assertThat(wire).containsExactly("end " + ErrorCode.BAD_JSON.code() + ":bad");
    assertThat(end.life().state()).isEqualTo(State.ENDED);
    end.closeWithError(ErrorCode.TIMEOUT, "again");
    assertThat(wire).as("one error frame only").hasSize(1);
    advance(1000);
    assertThat(wire).endsWith("abort");
    assertThat(signedOff).isEqualTo(1);
    assertThat(slotsFreed).as("the slot waits for the socket to close").isZero();
    end.channelClosed();
    assertThat(slotsFreed).isEqualTo(1);
    assertThat(socketGone).isEqualTo(1);
    assertThat(trail.reason()).as("the first cause, by its code only").isEqualTo("error BAD_JSON");
  }

  @Test
  void theErrorFrameWaitsForRepliesInFlightForASecondAtMost() {
    inFlight = 2;
    end.closeWithError(ErrorCode.BAD_JSON, "bad");
    assertThat(wire).isEmpty();
    assertThat(end.life().writes()).as("replies still go out").isTrue();
    inFlight = 1;
    end.requestDone();
    advance(0);
    assertThat(wire).as("one reply still missing").isEmpty();
    inFlight = 0;
    end.requestDone();
    advance(0);
    assertThat(wire).hasSize(1).allMatch(s -> s.startsWith("end "));
  }

  @Test
  void repliesMissingAfterASecondAreNotWaitedFor() {
    inFlight = 1;
    end.closeWithError(ErrorCode.BAD_JSON, "bad");
    advance(1000);
    assertThat(wire).hasSize(1).allMatch(s -> s.startsWith("end "));
    advance(1000);
    assertThat(wire).endsWith("abort");
    assertThat(end.life().gone()).isTrue();
  }

  @Test
  void aPeerThatClosesWhileLoggedInWithRequestsInFlightIsDrainedBeforeItsLoginEnds() {
    loggedIn();
    inFlight = 1;
    end.channelClosed();
    assertThat(end.life().state()).isEqualTo(State.DRAINING);
    assertThat(socketGone).isEqualTo(1);
    assertThat(signedOff).isZero();
    assertThat(slotsFreed).as("the slot is held while draining").isZero();
    end.inputEnded();
    assertThat(signedOff).as("a reply is still in flight").isZero();
    inFlight = 0;
    end.requestDone();
    assertThat(signedOff).isEqualTo(1);
    assertThat(slotsFreed).isEqualTo(1);
    assertThat(end.life().state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aConnectionWithoutALoginEndsAtOnceWhenItsPeerCloses() {
    end.inputEnded();
    end.channelClosed();
    assertThat(signedOff).isEqualTo(1);
    assertThat(slotsFreed).isEqualTo(1);
    end.channelClosed();
    assertThat(slotsFreed).as("given back once").isEqualTo(1);
    assertThat(trail.reason()).isEqualTo("peer closed");
  }

  @Test
  void drainingThatNeverEndsSignsOffAfterAMinute() {
    loggedIn();
    inFlight = 1;
    end.channelClosed();
    assertThat(end.drainedTooLong(System.nanoTime() + 1_000_000_000L)).isFalse();
    assertThat(end.drainedTooLong(System.nanoTime() + ConnectionEnd.DRAIN_MAX_NANOS + 1_000_000_000L)).isTrue();
    assertThat(signedOff).isEqualTo(1);
    assertThat(slotsFreed).isEqualTo(1);
  }

  @Test
  void aBadFrameWhileDrainingStopsTheRestAndSignsOffWhenTheRepliesAreDone() {
    loggedIn();
    inFlight = 1;
    end.channelClosed();
    end.closeWithError(ErrorCode.BAD_JSON, "bad");
    assertThat(end.life().state()).isEqualTo(State.FINISHING);
    assertThat(wire).as("nothing is written to a gone socket").isEmpty();
    inFlight = 0;
    end.requestDone();
    assertThat(signedOff).isEqualTo(1);
    advance(2000);
    assertThat(wire).as("a gone socket is not dropped again").isEmpty();
  }

  @Test
  void aDropSignsOffAtOnceWithoutDraining() {
    loggedIn();
    inFlight = 3;
    end.abort();
    assertThat(wire).containsExactly("abort");
    assertThat(signedOff).isEqualTo(1);
    end.abort();
    assertThat(wire).as("dropped once").hasSize(1);
    end.channelClosed();
    assertThat(trail.reason()).isEqualTo("dropped");
  }

  @Test
  void aCloseByTheServerSaysSo() {
    end.closedByServer();
    end.channelClosed();
    assertThat(trail.reason()).isEqualTo("closed by the server");
    assertThat(slotsFreed).isEqualTo(1);
  }

  @Test
  void aClosedLoginMakesErrorsNoOps() {
    login.close();
    end.closeWithError(ErrorCode.BAD_JSON, "bad");
    assertThat(wire).isEmpty();
    assertThat(end.life().open()).isTrue();
  }
}
