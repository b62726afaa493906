package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.gateway.ConnectionLife.State;
import org.junit.jupiter.api.Test;

class ConnectionLifeTest {
  private final ConnectionLife life = new ConnectionLife();

  @Test
  void anOpenConnectionReadsAndWrites() {
    assertThat(life.state()).isEqualTo(State.OPEN);
    assertThat(life.reads()).isTrue();
    assertThat(life.writes()).isTrue();
    assertThat(life.gone()).isFalse();
    assertThat(life.stopped()).isFalse();
  }

  @Test
  void anErrorStopsReadingButRepliesInFlightAreStillWrittenUntilTheErrorFrameEndsTheStream() {
    assertThat(life.stop()).isTrue();
    assertThat(life.state()).isEqualTo(State.CLOSING);
    assertThat(life.reads()).isFalse();
    assertThat(life.writes()).isTrue();
    assertThat(life.stop()).as("a second error changes nothing").isFalse();
    life.ended();
    assertThat(life.state()).isEqualTo(State.ENDED);
    assertThat(life.writes()).isFalse();
    assertThat(life.gone()).as("the socket still closes").isFalse();
    assertThat(life.socketClosed()).isTrue();
    assertThat(life.state()).isEqualTo(State.FINISHING);
    life.signedOff();
    assertThat(life.state()).isEqualTo(State.CLOSED);
    assertThat(life.socketClosed()).as("closed once").isFalse();
  }

  @Test
  void aPeerThatClosesLeavesItsQueuedFramesToBeHandledWithNothingWritten() {
    assertThat(life.socketClosed()).isTrue();
    assertThat(life.state()).isEqualTo(State.DRAINING);
    assertThat(life.reads()).isTrue();
    assertThat(life.writes()).isFalse();
    assertThat(life.gone()).isTrue();
    assertThat(life.draining()).isTrue();
    assertThat(life.stopped()).isFalse();
    assertThat(life.stop()).as("a bad frame among them stops the rest").isTrue();
    assertThat(life.state()).isEqualTo(State.FINISHING);
    assertThat(life.reads()).isFalse();
    assertThat(life.draining()).as("the login still ends when the replies are done").isTrue();
    life.signedOff();
    assertThat(life.draining()).isFalse();
    assertThat(life.stopped()).isTrue();
  }

  @Test
  void aDropFromAnyLiveStateFinishesWithoutDraining() {
    life.stop();
    assertThat(life.socketClosed()).isTrue();
    assertThat(life.state()).as("a dropped connection does not read its peer's last frames").isEqualTo(State.FINISHING);
  }

  @Test
  void onlyAClosingConnectionEndsWithItsErrorFrame() {
    assertThatThrownBy(life::ended).isInstanceOf(IllegalStateException.class);
    life.socketClosed();
    life.stop();
    assertThatThrownBy(life::ended).isInstanceOf(IllegalStateException.class);
  }
}
