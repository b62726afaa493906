package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class V2ProtocolTest {
  @Test
  void theHandlerTablesTogetherAnswerEveryRequestTypeOfTheProtocolOnce() {
    assertThat(V2Protocol.types()).containsExactlyInAnyOrder(
        "hello", "register", "login", "logout", "password", "ping",
        "send", "sync", "ack", "history", "read", "conversations", "typing",
        "friend.request", "friend.accept", "friend.decline", "friend.remove", "block", "unblock", "friends", "profile",
        "group.create", "group.join", "group.leave", "group.kick", "group.promote", "group.demote", "group.transfer",
        "group.dissolve", "group.info", "groups");
  }
}
