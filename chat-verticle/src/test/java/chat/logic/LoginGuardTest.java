package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginGuardTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  // 3 free failures per (account, address), 10 per address, 1 s doubling to 8 s, 5 logins/s,
  // burst 20; an account slows new addresses by 1 s after 100 failures, 16 waiting at most
  final LoginGuard guard = new LoginGuard(new LoginGuard.Limits(5, 20, 3, 10, 1000, 8000, 1000), now::get);

  void fail(int id, String ip) {
    assertThat(guard.startLogin(id, ip)).isNull();
    guard.failed(id, ip);
  }

  @Test
  void threeFailuresAreFreeThenTheWindowDoublesUpToTheCap() {
    for (int i = 0; i < 3; i++) {
      fail(1, null);
    }
    // the window after the 3rd failure is 1 s, then 2, 4, 8 s and no longer
    long[] windows = {1000, 2000, 4000, 8000, 8000, 8000};
    for (long window : windows) {
      now.addAndGet(window - 1);
      assertThat(guard.startLogin(1, null)).as("1 ms before the end of %d ms", window).isEqualTo(ErrorCode.RATE_LIMITED);
      now.addAndGet(1);
      fail(1, null);
    }
  }

  @Test
  void refusedAttemptsDoNotExtendTheWindow() {
    for (int i = 0; i < 3; i++) {
      fail(1, null);
    }
    for (int i = 0; i < 100; i++) {
      now.addAndGet(9);
      assertThat(guard.startLogin(1, null)).isEqualTo(ErrorCode.RATE_LIMITED);
    }
    now.addAndGet(100);
    assertThat(guard.startLogin(1, null)).isNull();
  }

  @Test
  void aSuccessResetsTheAccount() {
    fail(1, null);
    fail(1, null);
    assertThat(guard.startLogin(1, null)).isNull();
    guard.succeeded(1, null);
    fail(1, null);
    fail(1, null);
    assertThat(guard.startLogin(1, null)).as("only two failures since the success").isNull();
  }

  @Test
  void aPipelinedBurstCannotOutrunTheResults() {
    assertThat(guard.startLogin(1, null)).isNull();
    assertThat(guard.startLogin(1, null)).isNull();
    assertThat(guard.startLogin(1, null)).isNull();
    assertThat(guard.startLogin(1, null)).as("three attempts still running count as failures to come").isEqualTo(ErrorCode.RATE_LIMITED);
    guard.failed(1, null);
    guard.failed(1, null);
    guard.failed(1, null);
    now.addAndGet(1000);
    assertThat(guard.startLogin(1, null)).isNull();
    assertThat(guard.startLogin(1, null)).as("once locked, one attempt at a time").isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void abandonedAttemptsCostNothing() {
    for (int i = 0; i < 10; i++) {
      assertThat(guard.startLogin(1, null)).isNull();
      guard.abandoned(1, null);
    }
    assertThat(guard.startLogin(1, null)).isNull();
  }

  @Test
  void anAttackerOnOneAccountAndAddressLeavesAnotherUserAlone() {
    for (int i = 0; i < 50; i++) {
      ErrorCode refusal = guard.startLogin(1, "10.0.0.66");
      if (refusal == null) {
        guard.failed(1, "10.0.0.66");
      }
      now.addAndGet(50);
    }
    assertThat(guard.startLogin(1, "10.0.0.66")).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(guard.startLogin(2, "10.0.0.7")).isNull();
    guard.succeeded(2, "10.0.0.7");
  }

  @Test
  void oneAddressGuessingManyAccountsBacksOff() {
    for (int id = 1; id <= 10; id++) {
      fail(id, "10.0.0.66");
    }
    assertThat(guard.startLogin(11, "10.0.0.66")).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(guard.startLogin(11, "10.0.0.67")).as("the account itself is fine").isNull();
  }

  @Test
  void aSuccessDoesNotResetTheAddress() {
    for (int id = 1; id <= 9; id++) {
      fail(id, "10.0.0.66");
    }
    assertThat(guard.startLogin(100, "10.0.0.66")).isNull();
    guard.succeeded(100, "10.0.0.66");
    fail(12, "10.0.0.66");
    assertThat(guard.startLogin(13, "10.0.0.66")).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void anAddressLockedOutDoesNotCountAgainstTheAccount() {
    for (int id = 1; id <= 10; id++) {
      fail(id, "10.0.0.66");
    }
    for (int i = 0; i < 10; i++) {
      assertThat(guard.startLogin(50, "10.0.0.66")).isEqualTo(ErrorCode.RATE_LIMITED);
    }
    assertThat(guard.startLogin(50, "10.0.0.67")).isNull();
    assertThat(guard.startLogin(50, "10.0.0.68")).isNull();
    assertThat(guard.startLogin(50, "10.0.0.69")).isNull();
  }

  @Test
  void theBucketCapsLoginsAndRegistrationsTogetherPerAddress() {
    for (int i = 0; i < 10; i++) {
      assertThat(guard.register("10.0.0.5")).isNull();
      assertThat(guard.startLogin(1000 + i, "10.0.0.5")).isNull();
      guard.succeeded(1000 + i, "10.0.0.5");
    }
    assertThat(guard.register("10.0.0.5")).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(guard.startLogin(1, "10.0.0.5")).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(guard.register("10.0.0.6")).as("another address has its own bucket").isNull();
    now.addAndGet(200);
    assertThat(guard.register("10.0.0.5")).as("5 per second: one token per 200 ms").isNull();
    assertThat(guard.register("10.0.0.5")).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void withoutAnAddressOnlyTheAccountLimits() {
    for (int i = 0; i < 1000; i++) {
      assertThat(guard.register(null)).isNull();
    }
  }

  @Test
  void stateIsBoundedAndForgotten() {
    for (int i = 0; i < 5000; i++) {
      fail(i, "10.1." + (i / 256) + "." + (i % 256));
    }
    assertThat(guard.tracked()).as("five maps of at most 1000").isLessThanOrEqualTo(5000);
    now.addAndGet(60_000);
    guard.sweep();
    assertThat(guard.tracked()).isZero();
  }

  @Test
  void aLockedAccountIsKeptUntilItsWindowAndTheCapHavePassed() {
    for (int i = 0; i < 3; i++) {
      fail(1, null);
    }
    now.addAndGet(500);
    guard.sweep();
    assertThat(guard.startLogin(1, null)).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void exemptAddressesAreNotLimitedButTheirAccountsAre() {
    LoginGuard proxied = new LoginGuard(new LoginGuard.Limits(5, 20, 3, 10, 1000, 8000, 1000), LoginGuard.LOOPBACK, now::get);
    for (int i = 0; i < 100; i++) {
      assertThat(proxied.register("127.0.0.1")).isNull();
      assertThat(proxied.startLogin(i, "0:0:0:0:0:0:0:1")).isNull();
      proxied.failed(i, "0:0:0:0:0:0:0:1");
    }
    for (int i = 0; i < 3; i++) {
      assertThat(proxied.startLogin(5, "127.0.0.1")).isNull();
      proxied.failed(5, "127.0.0.1");
    }
    // behind the proxy every client is (account, proxy address): that pair backs off
    assertThat(proxied.startLogin(5, "127.0.0.1")).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(proxied.register("10.0.0.1")).isNull();
  }

  @Test
  void badTokensCountAgainstTheAddressButNeverLockTheAccount() {
    for (int i = 0; i < 10; i++) {
      assertThat(guard.startTokenLogin("10.0.0.9")).isNull();
      guard.tokenFailed("10.0.0.9");
    }
    assertThat(guard.startTokenLogin("10.0.0.9")).as("the address backs off").isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(guard.startLogin(7, "10.0.0.8")).as("no account was locked").isNull();
    guard.succeeded(7, "10.0.0.8");
    assertThat(guard.startTokenLogin("127.0.0.1")).as("exempt").isNull();
    guard.tokenEnded("127.0.0.1");
  }

  @Test
  void guessesFromOneAddressNeverLockTheOwnerOutFromAnother() {
    for (int i = 0; i < 60; i++) {
      if (guard.startLogin(1, "10.0.0.66") == null) {
        guard.failed(1, "10.0.0.66");
      }
      now.addAndGet(300);
    }
    assertThat(guard.startLogin(1, "10.0.0.66")).as("the guessing pair backs off").isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(guard.startLogin(1, "10.0.0.7")).as("the owner's address is another pair").isNull();
    assertThat(guard.delayFor(1, "10.0.0.7")).as("and is not slowed: the account is far from its own limit").isZero();
    guard.succeeded(1, "10.0.0.7");
  }

  /** 100 addresses guess once each (each pair and address is fine), which makes the account hot. */
  void guessFromManyAddresses(int id) {
    for (int i = 0; i < 100; i++) {
      fail(id, "10.9." + (i / 200) + "." + (i % 200));
    }
  }

  @Test
  void aHotAccountSlowsNewAddressesButNotOnesThatLoggedInBefore() {
    assertThat(guard.startLogin(1, "10.0.0.7")).isNull();
    guard.succeeded(1, "10.0.0.7");
    guessFromManyAddresses(1);

    assertThat(guard.startLogin(1, "10.0.0.8")).as("slowed, not refused").isNull();
    assertThat(guard.delayFor(1, "10.0.0.8")).isEqualTo(1000);
    guard.delayOver(1);
    guard.abandoned(1, "10.0.0.8");
    assertThat(guard.startLogin(1, "10.0.0.7")).isNull();
    assertThat(guard.delayFor(1, "10.0.0.7")).as("a known address goes straight on").isZero();
    guard.succeeded(1, "10.0.0.7");
    assertThat(guard.startLogin(1, "10.0.0.8")).isNull();
    assertThat(guard.delayFor(1, "10.0.0.8")).as("the owner's login cooled the account").isZero();
    guard.abandoned(1, "10.0.0.8");
  }

  @Test
  void slowedLoginsWaitingAtOnceAreBoundedButKnownAddressesStillGetIn() {
    assertThat(guard.startLogin(1, "10.0.0.7")).isNull();
    guard.succeeded(1, "10.0.0.7");
    guessFromManyAddresses(1);
    for (int i = 0; i < 16; i++) {
      assertThat(guard.startLogin(1, "10.8.0." + i)).isNull();
      assertThat(guard.delayFor(1, "10.8.0." + i)).isEqualTo(1000);
    }
    assertThat(guard.startLogin(1, "10.8.1.1")).as("the waiting room is full").isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(guard.startLogin(1, "10.0.0.7")).as("the owner's known address is not waiting").isNull();
    assertThat(guard.delayFor(1, "10.0.0.7")).isZero();
    guard.abandoned(1, "10.0.0.7");
    guard.delayOver(1);
    assertThat(guard.startLogin(1, "10.8.1.1")).as("one wait ended, one may start").isNull();
  }

  @Test
  void anAccountCoolsDownAfterTheWindow() {
    guessFromManyAddresses(1);
    assertThat(guard.startLogin(1, "10.0.0.8")).isNull();
    assertThat(guard.delayFor(1, "10.0.0.8")).isEqualTo(1000);
    guard.delayOver(1);
    guard.abandoned(1, "10.0.0.8");
    now.addAndGet(8001);
    assertThat(guard.startLogin(1, "10.0.0.8")).isNull();
    assertThat(guard.delayFor(1, "10.0.0.8")).isZero();
  }
}
