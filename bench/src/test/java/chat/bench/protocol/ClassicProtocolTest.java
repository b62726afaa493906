package chat.bench.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassicProtocolTest {
  private final ClassicProtocol p = new ClassicProtocol();

  @Test
  void requestsAreJsonFollowedByNul() {
    assertThat(json(p.login(24, "pw"))).isEqualTo(new JsonObject("{\"msgid\":1,\"id\":24,\"password\":\"pw\"}"));
    assertThat(json(p.register("alice", "pw"))).isEqualTo(new JsonObject("{\"msgid\":4,\"name\":\"alice\",\"password\":\"pw\"}"));
    JsonObject chat = json(p.send(24, "alice", 25, "hi"));
    assertThat(chat.getInteger("msgid")).isEqualTo(6);
    assertThat(chat.getInteger("id")).isEqualTo(24);
    assertThat(chat.getString("name")).isEqualTo("alice");
    assertThat(chat.getInteger("toid")).isEqualTo(25);
    assertThat(chat.getString("msg")).isEqualTo("hi");
    assertThat(chat.getString("time")).isNotBlank();
    JsonObject group = json(p.groupSend(24, "alice", 7, "yo"));
    assertThat(group.getInteger("msgid")).isEqualTo(10);
    assertThat(group.getInteger("groupid")).isEqualTo(7);
    assertThat(json(p.addFriend(24, 25))).isEqualTo(new JsonObject("{\"msgid\":7,\"id\":24,\"friendid\":25}"));
    assertThat(json(p.createGroup(24, "g", "d")))
        .isEqualTo(new JsonObject("{\"msgid\":8,\"id\":24,\"groupname\":\"g\",\"groupdesc\":\"d\"}"));
    assertThat(json(p.joinGroup(24, 7))).isEqualTo(new JsonObject("{\"msgid\":9,\"id\":24,\"groupid\":7}"));
  }

  @Test
  void decodesTheClassicLoginAckVerbatim() {
    String ack = "{\"errno\":0,\"friends\":[\"{\\\"id\\\":25,\\\"name\\\":\\\"bob\\\",\\\"state\\\":\\\"online\\\"}\"],"
        + "\"groups\":[\"{\\\"groupdesc\\\":\\\"d\\\",\\\"groupname\\\":\\\"devs\\\",\\\"id\\\":3,\\\"users\\\":[]}\"],"
        + "\"id\":24,\"msgid\":2,\"name\":\"alice\",\"offlinemsg\":[\"{\\\"id\\\":25,\\\"msg\\\":\\\"hi\\\",\\\"msgid\\\":6,"
        + "\\\"name\\\":\\\"bob\\\",\\\"time\\\":\\\"2020-01-01 00:00:03\\\",\\\"toid\\\":24}\"]}";
    Event e = ClassicProtocol.decode(Buffer.buffer(ack));
    assertThat(e).isEqualTo(new Event.LoginAck(true, 0, 24, "alice", List.of(new Event.GroupRef(3, "devs")), 1));
  }

  @Test
  void decodesFailuresChatsAndErrors() {
    assertThat(ClassicProtocol.decode(Buffer.buffer("{\"errmsg\":\"id or password is invalid!\",\"errno\":1,\"msgid\":2}")))
        .isEqualTo(new Event.LoginAck(false, 1, 0, null, List.of(), 0));
    assertThat(ClassicProtocol.decode(Buffer.buffer("{\"errno\":0,\"id\":9,\"msgid\":5}")))
        .isEqualTo(new Event.RegisterAck(true, 9));
    assertThat(ClassicProtocol.decode(Buffer.buffer("{\"errno\":1,\"msgid\":5}")))
        .isEqualTo(new Event.RegisterAck(false, 0));
    assertThat(ClassicProtocol.decode(Buffer.buffer(
        "{\"id\":25,\"msg\":\"b:1:2:3:4\",\"msgid\":6,\"name\":\"bob\",\"time\":\"2020-01-01 00:00:03\",\"toid\":24}")))
        .isEqualTo(new Event.Incoming(25, 24, 0, "b:1:2:3:4"));
    assertThat(ClassicProtocol.decode(Buffer.buffer(
        "{\"groupid\":3,\"id\":25,\"msg\":\"x\",\"msgid\":10,\"name\":\"bob\",\"time\":\"t\"}")))
        .isEqualTo(new Event.Incoming(25, 0, 3, "x"));
    assertThat(ClassicProtocol.decode(Buffer.buffer("{\"errmsg\":\"bad\",\"errno\":1004,\"msgid\":99}")))
        .isEqualTo(new Event.ServerError(1004, "bad"));
    assertThat(ClassicProtocol.decode(Buffer.buffer("not json"))).isInstanceOf(Event.Other.class);
    assertThat(ClassicProtocol.decode(Buffer.buffer("{\"msgid\":42}"))).isInstanceOf(Event.Other.class);
  }

  @Test
  void decoderSplitsAStreamOfRepliesAtAnyChunkSize() {
    String stream = "{\"errno\":0,\"id\":9,\"msgid\":5}\0{\"id\":25,\"msg\":\"m\",\"msgid\":6,\"name\":\"b\",\"toid\":9}\0";
    byte[] bytes = stream.getBytes();
    for (int size = 1; size <= bytes.length; size++) {
      List<Event> events = new ArrayList<>();
      ChatProtocol.Decoder d = p.decoder(events::add);
      for (int i = 0; i < bytes.length; i += size) {
        d.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(size, bytes.length - i)));
      }
      assertThat(events).as("chunks of %d", size)
          .containsExactly(new Event.RegisterAck(true, 9), new Event.Incoming(25, 9, 0, "m"));
    }
  }

  private static JsonObject json(Buffer b) {
    assertThat(b.getByte(b.length() - 1)).isZero();
    return new JsonObject(b.getBuffer(0, b.length() - 1));
  }
}
