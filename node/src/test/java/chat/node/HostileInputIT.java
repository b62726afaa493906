package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Everything that crashed the classic server, sent by one client while two others keep chatting.
 * The reply is an error where the protocol has one; the connection closes where the stream can
 * no longer be trusted; the node stays up.
 */
class HostileInputIT {
  static TestNode node;
  static ClassicClient alice;
  static ClassicClient bob;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
    alice = node.connect().register(unique("alice"));
    bob = node.connect().register(unique("bob"));
    alice.loginOk();
    bob.loginOk();
  }

  @AfterAll
  static void stop() throws Exception {
    alice.close();
    bob.close();
  }

  static Stream<Arguments> streamBreakers() {
    byte[] badUtf8 = {'{', '"', 'm', 's', 'g', 'i', 'd', '"', ':', '4', ',', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}', 0};
    return Stream.of(
        Arguments.of("not JSON", "hello there\n".getBytes(StandardCharsets.UTF_8), 1002),
        Arguments.of("top-level array", "[1,2,3]\0".getBytes(StandardCharsets.UTF_8), 1002),
        Arguments.of("broken JSON", "{\"msgid\":1,\"id\":}\0".getBytes(StandardCharsets.UTF_8), 1002),
        Arguments.of("invalid UTF-8", badUtf8, 1002),
        Arguments.of("frame over 64 KiB", ("{\"msgid\":6,\"msg\":\"" + "x".repeat(70_000) + "\"}\0").getBytes(StandardCharsets.UTF_8), 1001),
        Arguments.of("deep nesting", ("{\"a\":" + "[".repeat(10_000)).getBytes(StandardCharsets.UTF_8), 1003));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamBreakers")
  void streamBreakersGetAnErrorFrameThenTheConnectionCloses(String what, byte[] bytes, int code) throws Exception {
    try (ClassicClient evil = node.connect()) {
      evil.sendRaw(bytes);
      JsonObject error = evil.next();
      assertThat(error.getInteger("msgid")).isEqualTo(99);
      assertThat(error.getInteger("errno")).isEqualTo(code);
      assertThat(error.getString("errmsg")).isNotBlank();
      assertThat(evil.awaitClosed()).as("connection closed").isTrue();
    }
    othersStillChat(what);
  }

  static Stream<Arguments> v2Breakers() {
    String hello = "{\"v\":2,\"id\":\"h\",\"type\":\"hello\",";
    return Stream.of(
        Arguments.of("v2 hello nested too deep", hello + "\"x\":" + "[".repeat(100), 1003),
        Arguments.of("hello without v nested too deep", "{\"id\":\"h\",\"type\":\"hello\",\"x\":" + "[".repeat(100), 1003),
        Arguments.of("v2 hello over 64 KiB", hello + "\"pad\":\"" + "x".repeat(70_000) + "\"}\n", 1001),
        Arguments.of("broken v2 hello", hello + "\"client\":}\n", 1002));
  }

  /** A first frame that breaks the stream while clearly attempting v2 is answered in v2's shape. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("v2Breakers")
  void aBrokenV2FirstFrameGetsAV2ErrorFrame(String what, String bytes, int code) throws Exception {
    try (RawClient evil = new RawClient(node.port)) {
      evil.sendRaw(bytes.getBytes(StandardCharsets.UTF_8));
      List<JsonObject> frames = evil.read(3000);
      assertThat(frames).as("one error frame").hasSize(1);
      JsonObject error = frames.get(0);
      assertThat(error.containsKey("msgid")).as("not classic: %s", error).isFalse();
      assertThat(error.getBoolean("ok")).isFalse();
      assertThat(error.getInteger("code")).isEqualTo(code);
      assertThat(error.getString("error")).isNotBlank();
      assertThat(evil.closedByServer()).as("connection closed").isTrue();
    }
    othersStillChat(what);
  }

  static Stream<Arguments> fieldBreakers() {
    return Stream.of(
        Arguments.of("missing msgid", "{\"id\":1}"),
        Arguments.of("msgid as string", "{\"msgid\":\"1\"}"),
        Arguments.of("msgid as float", "{\"msgid\":1.5}"),
        Arguments.of("msgid huge", "{\"msgid\":123456789012345678901234567890}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fieldBreakers")
  void badFieldsGetAnErrorFrameAndTheConnectionStaysUsable(String what, String frame) throws Exception {
    try (ClassicClient evil = node.connect()) {
      evil.sendRaw((frame + "\0").getBytes(StandardCharsets.UTF_8));
      JsonObject error = evil.next();
      assertThat(error.getInteger("msgid")).isEqualTo(99);
      assertThat(error.getInteger("errno")).isEqualTo(1004);
      evil.register(unique("after-" + what.replace(' ', '-')));
    }
    othersStillChat(what);
  }

  @Test
  void wrongTypesAndMissingFieldsInRequestsAreRefusedWithoutHarm() throws Exception {
    try (ClassicClient evil = node.connect().register(unique("evil"))) {
      evil.send(new JsonObject().put("msgid", 1).put("id", List.of(1)).put("password", new JsonObject()));
      assertThat(evil.next().getInteger("errno")).isEqualTo(1);
      evil.send(new JsonObject().put("msgid", 1));
      assertThat(evil.next().getInteger("errno")).isEqualTo(1);
      evil.send(new JsonObject().put("msgid", 4).put("name", (String) null));
      assertThat(evil.next().getInteger("errno")).isEqualTo(1);
      evil.loginOk();
      for (String f : List.of(
          "{\"msgid\":6}",
          "{\"msgid\":6,\"toid\":\"x\",\"msg\":\"m\"}",
          "{\"msgid\":6,\"toid\":" + alice.id + ",\"msg\":42}",
          "{\"msgid\":6,\"toid\":999999999,\"msg\":\"nobody\"}",
          "{\"msgid\":10,\"groupid\":999999999,\"msg\":\"no group\"}",
          "{\"msgid\":10,\"groupid\":null,\"msg\":\"m\"}",
          "{\"msgid\":7,\"friendid\":[]}",
          "{\"msgid\":8,\"groupname\":{}}",
          "{\"msgid\":8,\"groupname\":\"" + "长".repeat(51) + "\"}",
          "{\"msgid\":9,\"groupid\":999999999}",
          "{\"msgid\":12345,\"anything\":true}",
          "{\"msgid\":-1}")) {
        evil.sendRaw((f + "\0").getBytes(StandardCharsets.UTF_8));
      }
      assertThat(alice.drain(300)).isEmpty();
      evil.chat(alice.id, "still here");
      assertThat(alice.next().getString("msg")).isEqualTo("still here");
    }
    othersStillChat("wrong types");
  }

  @Test
  void cutOffJsonThenHangUpLeavesTheNodeServing() throws Exception {
    ClassicClient evil = node.connect();
    evil.sendRaw("{\"msgid\":1,\"id\":".getBytes(StandardCharsets.UTF_8));
    evil.close();
    othersStillChat("cut-off JSON");
  }

  @Test
  void gluedFramesAreAllProcessed() throws Exception {
    try (ClassicClient c = node.connect()) {
      String a = "{\"msgid\":4,\"name\":\"" + unique("g1") + "\",\"password\":\"p\"}";
      String b = "{\"msgid\":4,\"name\":\"" + unique("g2") + "\",\"password\":\"p\"}";
      c.sendRaw((a + b + "\0\0" + a).getBytes(StandardCharsets.UTF_8));
      List<Integer> errnos = List.of(c.next().getInteger("errno"), c.next().getInteger("errno"), c.next().getInteger("errno"));
      assertThat(errnos).containsExactly(0, 0, 1);
    }
    othersStillChat("glued frames");
  }

  @Test
  void aMessageNearTheFrameLimitIsStoredWhole() throws Exception {
    String big = "汉".repeat(20_000); // 60,000 bytes of UTF-8 in a frame under 64 KiB
    alice.chat(bob.id, big);
    assertThat(bob.next().getString("msg")).isEqualTo(big);
  }

  private static void othersStillChat(String after) throws Exception {
    String text = "still chatting after " + after;
    alice.chat(bob.id, text);
    assertThat(bob.next().getString("msg")).isEqualTo(text);
  }
}
