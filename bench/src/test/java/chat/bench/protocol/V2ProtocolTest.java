package chat.bench.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class V2ProtocolTest {
  private final V2Protocol p = new V2Protocol();

  @Test
  void requestsOpenV2AndCarryIdsAndClientMessageIds() {
    JsonObject login = json(p.login(24, "pw"));
    assertThat(login.getInteger("v")).isEqualTo(2);
    assertThat(login.getString("type")).isEqualTo("login");
    assertThat(login.getString("id")).startsWith("login:");
    JsonObject a = json(p.send(24, "alice", 25, "hi"));
    JsonObject b = json(p.send(24, "alice", 25, "hi"));
    assertThat(a.getJsonObject("to").getInteger("user")).isEqualTo(25);
    assertThat(a.getString("cmid")).isNotEqualTo(b.getString("cmid"));
    assertThat(json(p.groupSend(24, "alice", 7, "yo")).getJsonObject("to").getInteger("group")).isEqualTo(7);
  }

  @Test
  void decodesRepliesAndPushes() {
    assertThat(V2Protocol.decode(Buffer.buffer("{\"re\":\"register:3\",\"ok\":true,\"user\":41}")))
        .isEqualTo(new Event.RegisterAck(true, 41));
    Event login = V2Protocol.decode(Buffer.buffer(
        "{\"re\":\"login:4\",\"ok\":true,\"user\":41,\"name\":\"a\",\"groups\":[{\"id\":3,\"name\":\"devs\"}],\"msgs\":[{},{}]}"));
    assertThat(login).isInstanceOf(Event.LoginAck.class);
    assertThat(((Event.LoginAck) login).groups()).containsExactly(new Event.GroupRef(3, "devs"));
    assertThat(((Event.LoginAck) login).offline()).isEqualTo(2);
    assertThat(V2Protocol.decode(Buffer.buffer(
        "{\"type\":\"msg\",\"seq\":9,\"msg\":{\"id\":5,\"from\":41,\"to\":{\"user\":42},\"text\":\"hi\"}}")))
        .isEqualTo(new Event.Incoming(41, 42, 0, "hi"));
    assertThat(V2Protocol.decode(Buffer.buffer("{\"re\":\"send:9\",\"ok\":false,\"code\":1015,\"error\":\"slow\"}")))
        .isEqualTo(new Event.ServerError(1015, "slow"));
    assertThat(V2Protocol.decode(Buffer.buffer("{\"re\":\"send:9\",\"ok\":true,\"messageId\":5}"))).isEqualTo(new Event.SendAck());
    assertThat(V2Protocol.decode(Buffer.buffer("{\"re\":\"friend.request:9\",\"ok\":true}"))).isInstanceOf(Event.Other.class);
  }

  private static JsonObject json(Buffer frame) {
    assertThat(frame.getByte(frame.length() - 1)).isEqualTo((byte) '\n');
    return new JsonObject(frame.getBuffer(0, frame.length() - 1));
  }
}
