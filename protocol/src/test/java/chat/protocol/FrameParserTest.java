package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {
  private static final List<String> FRAMES =
      List.of(
          "{\"msgid\":1,\"id\":24,\"password\":\"p{a}ss\\\"w[o]rd\"}",
          "{\"msgid\":6,\"id\":24,\"toid\":25,\"msg\":\"你好 😀 {}\",\"time\":\"2020-01-01 00:00:03\"}",
          "{\"a\":[1,{\"b\":[]}],\"c\":\"\\\\\"}",
          "{}");

  private final List<Buffer> frames = new ArrayList<>();
  private final List<ProtocolException> errors = new ArrayList<>();

  private FrameParser parser(int max) {
    return new FrameParser(max, 16, frames::add, errors::add);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\n", "\r\n", "", " \t\u0000\n"})
  void everySplitSizeYieldsTheSameFrames(String separator) {
    byte[] stream = String.join(separator, FRAMES).concat(separator).getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= stream.length; size++) {
      frames.clear();
      FrameParser parser = parser(65536);
      for (int off = 0; off < stream.length; off += size) {
        int end = Math.min(stream.length, off + size);
        byte[] chunk = new byte[end - off];
        System.arraycopy(stream, off, chunk, 0, chunk.length);
        parser.handle(Buffer.buffer(chunk));
      }
      assertThat(errors).isEmpty();
      assertThat(frames).extracting(b -> b.toString(StandardCharsets.UTF_8)).as("split %d", size)
          .containsExactlyElementsOf(FRAMES);
      assertThat(parser.nulDelimited()).isEqualTo(separator.startsWith("\u0000"));
    }
  }

  @Test
  void manyFramesInOneRead() {
    parser(65536).handle(Buffer.buffer("{\"a\":1}{\"a\":2}\u0000{\"a\":3}\n"));
    assertThat(frames).hasSize(3);
  }

  @Test
  void oversizedFrameIsRefusedAndTheRestIgnored() {
    FrameParser p = parser(32);
    p.handle(Buffer.buffer("{\"msg\":\"" + "x".repeat(40) + "\"}{\"a\":1}"));
    assertThat(frames).isEmpty();
    assertThat(errors).extracting(ProtocolException::code).containsExactly(ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void frameOfExactlyTheLimitIsAccepted() {
    String frame = "{\"m\":\"" + "x".repeat(24) + "\"}";
    parser(frame.length()).handle(Buffer.buffer(frame));
    assertThat(frames).hasSize(1);
  }

  @Test
  void deepNestingIsRefused() {
    parser(65536).handle(Buffer.buffer("{\"a\":" + "[".repeat(100)));
    assertThat(errors).extracting(ProtocolException::code).containsExactly(ErrorCode.TOO_DEEP);
  }

  @Test
  void bracketsInsideStringsDoNotCount() {
    parser(65536).handle(Buffer.buffer("{\"a\":\"" + "[".repeat(100) + "\"}"));
    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(1);
  }

  @Test
  void nonJsonIsRefused() {
    parser(65536).handle(Buffer.buffer("GET / HTTP/1.1\r\n"));
    assertThat(errors).extracting(ProtocolException::code).containsExactly(ErrorCode.BAD_JSON);
  }

  @Test
  void decodeRefusesInvalidUtf8AndBadJson() {
    byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'};
    assertThatThrownBy(() -> Frames.decode(Buffer.buffer(bad)))
        .isInstanceOf(ProtocolException.class);
    byte[] surrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
    assertThatThrownBy(() -> Frames.decode(Buffer.buffer(surrogate)))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Frames.decode(Buffer.buffer("{\"a\":}")))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Frames.decode(Buffer.buffer("{\"a\":1]")))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void fieldsAreTyped() {
    JsonObject f = Frames.decode(Buffer.buffer("{\"msgid\":1,\"id\":\"24\",\"big\":99999999999,\"f\":1.5}"));
    assertThat(Frames.type(f)).isEqualTo(MsgType.LOGIN);
    assertThatThrownBy(() -> Frames.requireInt(f, "id")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Frames.requireInt(f, "big")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Frames.requireInt(f, "f")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> Frames.requireString(f, "password")).isInstanceOf(ProtocolException.class);
    assertThat(Frames.type(new JsonObject().put("msgid", 77))).isEqualTo(MsgType.UNKNOWN);
  }

  @Test
  void seqsAndMessageIdsAreWholeNumbersOfAtLeastZero() {
    JsonObject f = Frames.decode(Buffer.buffer("{\"ok\":5,\"zero\":0,\"big\":99999999999,\"neg\":-5,\"f\":1.5,\"s\":\"7\"}"));
    assertThat(Frames.requireNonNegativeLong(f, "ok")).isEqualTo(5);
    assertThat(Frames.requireNonNegativeLong(f, "zero")).isZero();
    assertThat(Frames.requireNonNegativeLong(f, "big")).isEqualTo(99_999_999_999L);
    for (String bad : List.of("neg", "f", "s", "missing")) {
      assertThatThrownBy(() -> Frames.requireNonNegativeLong(f, bad)).as(bad)
          .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_FIELD));
    }
  }

  @Test
  void loginAckMatchesTheClassicBytes() {
    JsonObject ack =
        ClassicFrames.loginOk(
            24,
            "alice",
            List.of(ClassicFrames.friend(25, "bob", true)),
            List.of(),
            List.of("{\"id\":25,\"msg\":\"hi\",\"msgid\":6,\"name\":\"bob\",\"time\":\"2020-01-01 00:00:03\",\"toid\":24}"));
    assertThat(ack.encode())
        .isEqualTo(
            "{\"errno\":0,\"friends\":[\"{\\\"id\\\":25,\\\"name\\\":\\\"bob\\\",\\\"state\\\":\\\"online\\\"}\"],\"id\":24,\"msgid\":2,\"name\":\"alice\",\"offlinemsg\":[\"{\\\"id\\\":25,\\\"msg\\\":\\\"hi\\\",\\\"msgid\\\":6,\\\"name\\\":\\\"bob\\\",\\\"time\\\":\\\"2020-01-01 00:00:03\\\",\\\"toid\\\":24}\"]}");
    assertThat(ClassicFrames.loginInvalid().encode())
        .isEqualTo("{\"errmsg\":\"id or password is invalid!\",\"errno\":1,\"msgid\":2}");
  }
}
