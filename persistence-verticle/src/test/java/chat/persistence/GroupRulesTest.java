package chat.persistence;

import static chat.persistence.GroupRules.Action.DEMOTE;
import static chat.persistence.GroupRules.Action.DISSOLVE;
import static chat.persistence.GroupRules.Action.KICK;
import static chat.persistence.GroupRules.Action.LEAVE;
import static chat.persistence.GroupRules.Action.PROMOTE;
import static chat.persistence.GroupRules.Action.TRANSFER;
import static chat.protocol.GroupRole.ADMIN;
import static chat.protocol.GroupRole.MEMBER;
import static chat.protocol.GroupRole.OWNER;
import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class GroupRulesTest {
  private static ErrorCode code(GroupRules.Action a, GroupRole actor, GroupRole target) {
    ProtocolException e = GroupRules.refusal(a, actor, target);
    return e == null ? null : e.code();
  }

  @Test
  void nonMembersMayDoNothing() {
    for (GroupRules.Action a : GroupRules.Action.values()) {
      assertThat(code(a, null, MEMBER)).as("%s", a).isEqualTo(ErrorCode.FORBIDDEN);
    }
  }

  @Test
  void everyoneButTheOwnerMayLeave() {
    assertThat(code(LEAVE, MEMBER, null)).isNull();
    assertThat(code(LEAVE, ADMIN, null)).isNull();
    assertThat(code(LEAVE, OWNER, null)).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void theOwnerKicksAnyNonOwnerAdminsOnlyMembers() {
    assertThat(code(KICK, OWNER, MEMBER)).isNull();
    assertThat(code(KICK, OWNER, ADMIN)).isNull();
    assertThat(code(KICK, ADMIN, MEMBER)).isNull();
    assertThat(code(KICK, ADMIN, ADMIN)).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(code(KICK, ADMIN, OWNER)).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(code(KICK, MEMBER, MEMBER)).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(code(KICK, OWNER, OWNER)).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void onlyTheOwnerChangesRolesTransfersAndDissolves() {
    for (GroupRules.Action a : new GroupRules.Action[] {PROMOTE, DEMOTE, TRANSFER}) {
      assertThat(code(a, OWNER, MEMBER)).as("%s", a).isNull();
      assertThat(code(a, OWNER, ADMIN)).as("%s", a).isNull();
      assertThat(code(a, ADMIN, MEMBER)).as("%s", a).isEqualTo(ErrorCode.FORBIDDEN);
      assertThat(code(a, MEMBER, MEMBER)).as("%s", a).isEqualTo(ErrorCode.FORBIDDEN);
    }
    assertThat(code(DISSOLVE, OWNER, null)).isNull();
    assertThat(code(DISSOLVE, ADMIN, null)).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void aTargetOutsideTheGroupIsNotFoundOnceTheActorMayAct() {
    assertThat(code(KICK, OWNER, null)).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(code(TRANSFER, OWNER, null)).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(code(KICK, MEMBER, null)).as("a member learns nothing about who is in").isEqualTo(ErrorCode.FORBIDDEN);
  }
}
