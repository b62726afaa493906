package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of what a client controls before any business logic: the byte stream,
 * cut into reads anywhere, through the frame parser, the JSON decoder and the field checks the
 * gateway's dispatch makes. Whatever the input, the only failure is a {@link ProtocolException}
 * with a stable code, no frame is larger than the limit, the parser never holds more than one
 * unfinished frame, and nothing is parsed after the stream was declared broken.
 *
 * <p>{@code mvn test} runs the committed seeds in {@code FrameFuzzTestInputs}; {@code JAZZER_FUZZ=1
 * mvn -pl protocol test -Dtest=FrameFuzzTest} fuzzes for the duration below and adds what it finds
 * to the inputs of that directory under {@code src/test/resources}.
 */
class FrameFuzzTest {
  private static final int MAX_FRAME = 512;
  private static final int MAX_DEPTH = 8;
  private static final String[] FIELDS = {"id", "toid", "msg", "name", "password", "groupid", "friendid", "groupname", "groupdesc"};

  @FuzzTest(maxDuration = "60s")
  void decodeAndDispatch(FuzzedDataProvider data) {
    int[] cuts = new int[data.consumeInt(0, 8)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(1, 64);
    }
    byte[] stream = data.consumeRemainingAsBytes();
    List<Buffer> frames = new ArrayList<>();
    List<ProtocolException> errors = new ArrayList<>();
    FrameParser parser = new FrameParser(MAX_FRAME, MAX_DEPTH, frames::add, errors::add);
    int at = 0;
    int cut = 0;
    while (at < stream.length) {
      int n = cuts.length == 0 ? stream.length : Math.min(stream.length - at, cuts[cut++ % cuts.length]);
      int framesBefore = frames.size();
      parser.handle(Buffer.buffer().appendBytes(stream, at, n));
      at += n;
      assertThat(parser.buffered()).isLessThanOrEqualTo(MAX_FRAME);
      if (!errors.isEmpty() && framesBefore == frames.size()) {
        assertThat(parser.buffered()).isZero();
      }
    }
    assertThat(errors).hasSizeLessThanOrEqualTo(1);
    for (Buffer frame : frames) {
      assertThat(frame.length()).isLessThanOrEqualTo(MAX_FRAME);
      dispatch(frame);
    }
  }

  /** The checks Session makes before anything reaches the event bus. */
  private static void dispatch(Buffer bytes) {
    JsonObject frame;
    try {
      frame = Frames.decode(bytes);
      MsgType type = Frames.type(frame);
      assertThat(type).isNotNull();
    } catch (ProtocolException e) {
      assertThat(e.code()).isIn(ErrorCode.BAD_JSON, ErrorCode.TOO_DEEP, ErrorCode.BAD_FIELD, ErrorCode.FRAME_TOO_LARGE);
      return;
    }
    for (String field : FIELDS) {
      try {
        Frames.optInt(frame, field);
        Frames.requireInt(frame, field);
      } catch (ProtocolException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FIELD);
      }
      try {
        Frames.optString(frame, field, "");
        Frames.requireString(frame, field);
      } catch (ProtocolException e) {
        assertThat(e.code()).isIn(ErrorCode.BAD_FIELD, ErrorCode.TOO_LONG);
      }
    }
  }
}
