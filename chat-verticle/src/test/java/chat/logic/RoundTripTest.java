package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pub/sub round trip of readiness, on a clock of the test's. */
class RoundTripTest {
  private final RoundTrip trip = new RoundTrip(3000);

  @Test
  void pingsThatComeBackKeepItOk() {
    assertThat(trip.periodMs()).isEqualTo(1000);
    assertThat(trip.ok(0)).as("nothing sent yet").isTrue();
    for (long t = 0; t < 60_000; t += 1000) {
      trip.sent(t);
      trip.returned(t);
      assertThat(trip.ok(t + 999)).isTrue();
    }
  }

  @Test
  void aPingOutLongerThanTheBoundMakesItLateUntilOneComesBack() {
    trip.sent(0);
    trip.returned(0);
    trip.sent(1000); // Redis stops delivering from here
    trip.sent(2000);
    trip.sent(3000);
    assertThat(trip.ok(4000)).as("out exactly the bound").isTrue();
    trip.sent(4000);
    assertThat(trip.ok(4001)).as("the ping of 1000 is out 3001 ms").isFalse();
    trip.returned(1000); // delivery resumes: the queued pings come back in order
    assertThat(trip.ok(4500)).as("the ping of 4000 is out for 500 ms at most").isTrue();
    trip.returned(2000);
    trip.returned(3000);
    trip.returned(4000);
    assertThat(trip.ok(100_000)).as("nothing out").isTrue();
  }

  @Test
  void pingsLostWhileRedisWasAwayCountFromTheFirstOneSent() {
    trip.sent(0);
    trip.sent(1000);
    assertThat(trip.ok(3000)).isTrue();
    assertThat(trip.ok(3001)).as("never came back").isFalse();
    trip.sent(6000);
    trip.returned(6000);
    assertThat(trip.ok(6010)).isTrue();
    trip.returned(1000); // a stale one changes nothing
    assertThat(trip.ok(60_000)).isTrue();
  }
}
