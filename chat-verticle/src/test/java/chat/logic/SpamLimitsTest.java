package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpamLimitsTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  // 6 friend requests an hour, 3 typing notices to strangers a minute
  final SpamLimits limits = new SpamLimits(new SpamLimits.Limits(6, 3), now::get);

  @Test
  void friendRequestsPastTheHourlyLimitAreRefusedAndComeBackOverTheHour() {
    for (int i = 0; i < 6; i++) {
      assertThat(limits.friendRequest(1)).as("request %d", i).isTrue();
    }
    assertThat(limits.friendRequest(1)).isFalse();
    now.addAndGet(SpamLimits.HOUR_MS / 6 - 1);
    assertThat(limits.friendRequest(1)).as("just under ten minutes: no new one").isFalse();
    now.addAndGet(1);
    assertThat(limits.friendRequest(1)).as("ten minutes: one").isTrue();
    assertThat(limits.friendRequest(1)).isFalse();
  }

  @Test
  void aBurstOfRequestsInstantlyGetsNoMoreThanTheHourlyLimit() {
    int granted = 0;
    for (int i = 0; i < 720_000 / 3600 * 60; i++) { // what 200 requests a second allowed in a minute
      if (limits.friendRequest(1)) {
        granted++;
      }
      now.addAndGet(5);
    }
    // 6 at once, and one per ten minutes: a minute adds none
    assertThat(granted).isEqualTo(6);
  }

  @Test
  void typingToStrangersIsLimitedPerMinute() {
    for (int i = 0; i < 3; i++) {
      assertThat(limits.typingToStranger(1)).isTrue();
    }
    assertThat(limits.typingToStranger(1)).isFalse();
    now.addAndGet(SpamLimits.MINUTE_MS / 3);
    assertThat(limits.typingToStranger(1)).isTrue();
    assertThat(limits.typingToStranger(1)).isFalse();
  }

  @Test
  void eachAccountAndEachLimitHasItsOwnBucket() {
    for (int i = 0; i < 6; i++) {
      limits.friendRequest(1);
    }
    assertThat(limits.friendRequest(1)).isFalse();
    assertThat(limits.friendRequest(2)).as("another account").isTrue();
    assertThat(limits.typingToStranger(1)).as("another limit").isTrue();
  }

  @Test
  void fullBucketsAreSweptAndTheRestKept() {
    limits.friendRequest(1);
    limits.typingToStranger(2);
    assertThat(limits.tracked()).isEqualTo(2);
    now.addAndGet(SpamLimits.MINUTE_MS);
    limits.sweep();
    assertThat(limits.tracked()).as("the typing bucket is full again; the hourly one is not").isEqualTo(1);
    now.addAndGet(SpamLimits.HOUR_MS);
    limits.sweep();
    assertThat(limits.tracked()).isZero();
  }
}
