package chat.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits an inbound byte stream into JSON object frames.
 *
 * <p>A bounded state machine: it tracks only nesting depth and whether it is inside a string,
 * so it never buffers more than one frame of at most {@code maxFrameBytes}. Between objects it
 * accepts NUL, whitespace or nothing. It does not validate JSON; {@link Frames#decode} does.
 * After the first error it ignores all further input: the stream cannot be trusted any more.
 */
public final class FrameParser {
  private static final byte NUL = 0;

  private final int maxFrameBytes;
  private final int maxDepth;
  private final Consumer<Buffer> frameHandler;
  private final Consumer<ProtocolException> errorHandler;

  private Buffer pending = Buffer.buffer();
  private int frameStart = -1;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean failed;
  private int framesSeen;
  private int separator = -1;

  public FrameParser(
      int maxFrameBytes,
      int maxDepth,
      Consumer<Buffer> frameHandler,
      Consumer<ProtocolException> errorHandler) {
    this.maxFrameBytes = maxFrameBytes;
    this.maxDepth = maxDepth;
    this.frameHandler = frameHandler;
    this.errorHandler = errorHandler;
  }

  /**
   * True once the client is known to end its frames with NUL (the classic client does). Replies
   * use NUL then, and newline otherwise.
   */
  public boolean nulDelimited() {
    return separator == NUL;
  }

  /** Bytes held for the frame not finished yet (0 between frames): what this connection costs in memory. */
  public int buffered() {
    return pending.length();
  }

  public void handle(Buffer chunk) {
    if (failed) {
      return;
    }
    int scanFrom = pending.length();
    pending.appendBuffer(chunk);
    int len = pending.length();
    for (int i = scanFrom; i < len && !failed; i++) {
      byte b = pending.getByte(i);
      if (frameStart < 0) {
        outside(b, i);
      } else {
        inside(b, i);
      }
    }
    compact();
  }

  private void outside(byte b, int i) {
    if (framesSeen == 1 && separator < 0) {
      separator = b;
    }
    if (b == '{') {
      frameStart = i;
      depth = 1;
    } else if (b != NUL && b != ' ' && b != '\n' && b != '\r' && b != '\t') {
      fail(ErrorCode.BAD_JSON, "expected a JSON object");
    }
  }

  private void inside(byte b, int i) {
    if (i - frameStart + 1 > maxFrameBytes) {
      fail(ErrorCode.FRAME_TOO_LARGE, "frame larger than " + maxFrameBytes + " bytes");
      return;
    }
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (b == '\\') {
        escaped = true;
      } else if (b == '"') {
        inString = false;
      }
      return;
    }
    switch (b) {
      case '"' -> inString = true;
      case '{', '[' -> {
        if (++depth > maxDepth) {
          fail(ErrorCode.TOO_DEEP, "nesting deeper than " + maxDepth);
        }
      }
      case '}', ']' -> {
        if (--depth == 0) {
          Buffer frame = pending.getBuffer(frameStart, i + 1);
          frameStart = -1;
          framesSeen = Math.min(framesSeen + 1, 2);
          frameHandler.accept(frame);
        }
      }
      default -> {}
    }
  }

  /** Drops consumed bytes so the buffer holds at most the unfinished frame. */
  private void compact() {
    if (failed) {
      pending = Buffer.buffer();
    } else if (frameStart < 0) {
      pending = Buffer.buffer();
    } else if (frameStart > 0) {
      pending = pending.getBuffer(frameStart, pending.length());
      frameStart = 0;
    }
  }

  private void fail(ErrorCode code, String message) {
    failed = true;
    errorHandler.accept(new ProtocolException(code, message));
  }
}
