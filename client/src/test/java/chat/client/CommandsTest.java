package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CommandsTest {
  @Test
  void classicCommandsBecomeClassicFrames() {
    JsonObject chat = Commands.parse("chat:7:hi: there", 1, "alice").frame();
    assertThat(chat.getInteger("msgid")).isEqualTo(6);
    assertThat(chat.getInteger("toid")).isEqualTo(7);
    assertThat(chat.getString("msg")).as("the text may hold colons").isEqualTo("hi: there");
    assertThat(chat.getInteger("id")).isEqualTo(1);

    assertThat(Commands.parse("groupchat:3:你好", 1, "a").frame().getInteger("groupid")).isEqualTo(3);
    assertThat(Commands.parse("addfriend:2", 1, "a").frame().getInteger("friendid")).isEqualTo(2);
    assertThat(Commands.parse("addgroup:4", 1, "a").frame().getInteger("msgid")).isEqualTo(9);
    JsonObject create = Commands.parse("creategroup:team:our team", 1, "a").frame();
    assertThat(create.getString("groupname")).isEqualTo("team");
    assertThat(create.getString("groupdesc")).isEqualTo("our team");
    Commands.Parsed out = Commands.parse("loginout", 1, "a");
    assertThat(out.logout()).isTrue();
    assertThat(out.frame().getInteger("msgid")).isEqualTo(3);
    assertThat(Commands.parse("help", 1, "a").help()).isTrue();
  }

  @Test
  void badCommandsGiveUsageNotFrames() {
    assertThat(Commands.parse("chat:x:hi", 1, "a").error()).startsWith("usage");
    assertThat(Commands.parse("chat:2:", 1, "a").error()).startsWith("usage");
    assertThat(Commands.parse("addfriend:", 1, "a").error()).startsWith("usage");
    assertThat(Commands.parse("creategroup:", 1, "a").error()).startsWith("usage");
    assertThat(Commands.parse("dance", 1, "a").error()).contains("unknown command");
    assertThat(Commands.parse("   ", 1, "a").frame()).isNull();
  }

  @Test
  void messagesShowAsTheClassicClientShowedThem() {
    JsonObject m = new JsonObject().put("msgid", 6).put("id", 2).put("name", "bob").put("msg", "hi").put("time", "2020-01-01 00:00:03");
    assertThat(Screens.message(m)).isEqualTo("2020-01-01 00:00:03 [2]bob said: hi");
    assertThat(Screens.message(m.copy().put("msgid", 10).put("groupid", 5))).isEqualTo("group[5]: 2020-01-01 00:00:03 [2]bob said: hi");
  }
}
