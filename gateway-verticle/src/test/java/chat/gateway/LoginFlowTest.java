package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.ErrorCode;
import chat.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class LoginFlowTest {
  private final LoginFlow flow = new LoginFlow();

  private static void assertRefused(Runnable r, ErrorCode code) {
    assertThatThrownBy(r::run).isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(code));
  }

  @Test
  void aLoginGoesFromAwaitingThroughLoggingInToLoggedInAndALogoutAwaitsTheNext() {
    assertThat(flow.state()).isEqualTo(LoginFlow.State.AWAITING_LOGIN);
    assertRefused(flow::requireLoggedIn, ErrorCode.NOT_LOGGED_IN);
    flow.begin();
    assertThat(flow.loggingIn()).isTrue();
    assertRefused(flow::requireLoggedIn, ErrorCode.NOT_LOGGED_IN);
    assertThat(flow.accepted()).isTrue();
    assertThat(flow.loggedIn()).isTrue();
    flow.requireLoggedIn();
    assertThat(flow.logout()).isEqualTo(LoginFlow.State.LOGGED_IN);
    assertThat(flow.awaitingLogin()).isTrue();
    flow.begin();
    assertThat(flow.loggingIn()).as("a second login on the same connection").isTrue();
  }

  @Test
  void aSecondLoginIsForbiddenWhileOneIsUnderWayOrHeld() {
    flow.begin();
    assertRefused(flow::begin, ErrorCode.FORBIDDEN);
    flow.accepted();
    assertRefused(flow::begin, ErrorCode.FORBIDDEN);
    assertThat(flow.loggedIn()).as("the refused login changed nothing").isTrue();
  }

  @Test
  void aRefusedLoginAwaitsAnotherAndALogoutNeedsALogin() {
    flow.begin();
    flow.refused();
    assertThat(flow.awaitingLogin()).isTrue();
    assertRefused(flow::logout, ErrorCode.NOT_LOGGED_IN);
    assertThat(flow.awaitingLogin()).isTrue();
  }

  @Test
  void aConnectionClosedWhileChatChecksNeverLogsIn() {
    flow.begin();
    assertThat(flow.close()).isEqualTo(LoginFlow.State.LOGGING_IN);
    assertThat(flow.accepted()).as("chat's late yes: the caller reports the end at once").isFalse();
    flow.refused();
    assertThat(flow.closed()).isTrue();
    assertRefused(flow::begin, ErrorCode.FORBIDDEN);
    assertRefused(flow::requireLoggedIn, ErrorCode.NOT_LOGGED_IN);
    assertThat(flow.close()).as("closing twice ends nothing twice").isEqualTo(LoginFlow.State.CLOSED);
  }

  @Test
  void closingALoggedInConnectionReportsWhatItLeft() {
    flow.begin();
    flow.accepted();
    assertThat(flow.close()).isEqualTo(LoginFlow.State.LOGGED_IN);
    assertThat(flow.loggedIn()).isFalse();
  }

  @Test
  void chatCannotAcceptALoginThatWasNeverBegun() {
    assertThatThrownBy(flow::accepted).isInstanceOf(IllegalStateException.class);
  }
}
