package chat.bench.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits a byte stream into JSON objects by counting braces outside strings, so it reads both
 * our node (objects ended by NUL) and the classic C++ server, whose replies carry no delimiter at
 * all: two of them in one read are simply back to back. NUL, newline and blanks between objects
 * are skipped. Bytes outside any object that are not such separators (not JSON at all) are
 * passed on up to the next NUL or newline, so the decoder can count them as {@link Event.Other}.
 * Like {@link FrameSplitter}, a frame never grows past {@code maxFrameBytes}.
 */
public final class JsonStreamSplitter {
  private final int maxFrameBytes;
  private final Consumer<Buffer> sink;
  private Buffer pending;
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean raw;

  public JsonStreamSplitter(int maxFrameBytes, Consumer<Buffer> sink) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
  }

  /** Feeds one read; emits every completed frame, in order. */
  public void feed(Buffer chunk) {
    int len = chunk.length();
    int start = -1; // first byte of the current frame within this chunk, -1 when between frames
    if (pending != null) {
      start = 0;
    }
    for (int i = 0; i < len; i++) {
      byte b = chunk.getByte(i);
      if (start < 0) {
        if (b == 0 || b == '\n' || b == '\r' || b == ' ' || b == '\t') {
          continue;
        }
        start = i;
        raw = b != '{';
      }
      if (raw) {
        if (b == 0 || b == '\n') {
          emit(chunk, start, i);
          start = -1;
        }
      } else if (objectEndsAt(b)) {
        emit(chunk, start, i + 1);
        start = -1;
      }
    }
    if (start >= 0) {
      keep(chunk, start, len);
    }
  }

  /** Bytes held for a frame that has not ended yet. */
  public int pendingBytes() {
    return pending == null ? 0 : pending.length();
  }

  private boolean objectEndsAt(byte b) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (b == '\\') {
        escaped = true;
      } else if (b == '"') {
        inString = false;
      }
      return false;
    }
    if (b == '"') {
      inString = true;
    } else if (b == '{' || b == '[') {
      depth++;
    } else if (b == '}' || b == ']') {
      depth--;
      return depth == 0;
    }
    return false;
  }

  private void emit(Buffer chunk, int from, int to) {
    Buffer frame;
    if (pending != null) {
      frame = pending.appendBuffer(chunk, from, to - from);
      pending = null;
    } else {
      frame = chunk.getBuffer(from, to); // a copy: the read buffer is not ours to keep
    }
    depth = 0;
    if (frame.length() > maxFrameBytes) {
      throw new FrameSplitter.FrameTooLargeException(frame.length(), maxFrameBytes);
    }
    sink.accept(frame);
  }

  private void keep(Buffer chunk, int from, int to) {
    if (pending == null) {
      pending = Buffer.buffer(Math.min(to - from + 256, maxFrameBytes));
    }
    pending.appendBuffer(chunk, from, to - from);
    if (pending.length() > maxFrameBytes) {
      int size = pending.length();
      pending = null;
      throw new FrameSplitter.FrameTooLargeException(size, maxFrameBytes);
    }
  }
}
