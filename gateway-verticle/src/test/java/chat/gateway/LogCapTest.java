package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The node's cap on connection lines, on a clock of its own. */
class LogCapTest {
  private static final long SECOND = 1_000_000_000L;

  private static int taken(LogCap cap, int tries, long now) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (cap.take(now)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aFloodGetsASecondsWorthThenTheRateAndOneSummaryASecond() {
    LogCap cap = new LogCap(10, 0);
    assertThat(taken(cap, 1000, 0)).as("a second's worth saved up").isEqualTo(10);
    assertThat(cap.summary(SECOND / 2)).as("one summary a second at most").isZero();
    assertThat(taken(cap, 1000, SECOND / 2)).as("half a second refills half").isEqualTo(5);
    assertThat(cap.summary(SECOND)).as("everything refused so far").isEqualTo(990 + 995);
    assertThat(taken(cap, 1000, 60 * SECOND)).as("a minute idle saves a second's worth only").isEqualTo(10);
    assertThat(cap.summary(60 * SECOND)).as("counted from zero").isEqualTo(990);
    assertThat(taken(cap, 1000, 60 * SECOND + SECOND / 2)).isEqualTo(5);
    assertThat(cap.summary(60 * SECOND + SECOND / 2)).as("a second after the last summary at the earliest").isZero();
    assertThat(cap.summary(61 * SECOND)).isEqualTo(995);
    assertThat(cap.summary(70 * SECOND)).as("nothing refused since").isZero();
  }

  @Test
  void linesWithinTheRateAreAllWrittenAndNothingIsSummedUp() {
    LogCap cap = new LogCap(10, 0);
    for (int i = 1; i <= 100; i++) {
      assertThat(cap.take(i * SECOND / 10)).isTrue();
    }
    assertThat(cap.summary(20 * SECOND)).isZero();
  }

  @Test
  void zeroWritesNothingAndCountsNothing() {
    LogCap cap = new LogCap(0, 0);
    assertThat(taken(cap, 100, SECOND)).isZero();
    assertThat(cap.summary(10 * SECOND)).isZero();
  }
}
