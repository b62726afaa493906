package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupRoleTest {
  @Test
  void classicClientsSeeOnlyCreatorAndNormal() {
    assertThat(GroupRole.OWNER.classic()).isEqualTo("creator");
    assertThat(GroupRole.ADMIN.classic()).isEqualTo("normal");
    assertThat(GroupRole.MEMBER.classic()).isEqualTo("normal");
  }

  @Test
  void storedSpellingsRoundTrip() {
    for (GroupRole r : GroupRole.values()) {
      assertThat(GroupRole.of(r.sql())).isEqualTo(r);
    }
    assertThat(GroupRole.of("creator")).isEqualTo(GroupRole.OWNER);
    assertThat(GroupRole.of("normal")).isEqualTo(GroupRole.MEMBER);
  }
}
