package chat.bench.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits a byte stream into frames ended by NUL or newline. A frame may span any number of
 * reads; bytes of an unfinished frame are kept, but never more than {@code maxFrameBytes}, so
 * a server that never sends a delimiter cannot grow the bench's heap without bound.
 */
public final class FrameSplitter {
  private final int maxFrameBytes;
  private final Consumer<Buffer> sink;
  private Buffer pending;

  public FrameSplitter(int maxFrameBytes, Consumer<Buffer> sink) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
  }

  /** Feeds one read; emits every completed non-empty frame, in order. */
  public void feed(Buffer chunk) {
    int len = chunk.length();
    int start = 0;
    for (int i = 0; i < len; i++) {
      byte b = chunk.getByte(i);
      if (b == 0 || b == '\n') {
        Buffer frame;
        if (pending != null) {
          pending.appendBuffer(chunk, start, i - start);
          frame = pending;
          pending = null;
        } else {
          frame = chunk.getBuffer(start, i); // a copy: the read buffer is not ours to keep
        }
        emit(frame);
        start = i + 1;
      }
    }
    if (start < len) {
      if (pending == null) {
        pending = Buffer.buffer(Math.min(len - start + 256, maxFrameBytes));
      }
      pending.appendBuffer(chunk, start, len - start);
      if (pending.length() > maxFrameBytes) {
        int size = pending.length();
        pending = null;
        throw new FrameTooLargeException(size, maxFrameBytes);
      }
    }
  }

  /** Bytes held for a frame whose delimiter has not arrived yet. */
  public int pendingBytes() {
    return pending == null ? 0 : pending.length();
  }

  private void emit(Buffer frame) {
    if (frame.length() > maxFrameBytes) {
      throw new FrameTooLargeException(frame.length(), maxFrameBytes);
    }
    if (frame.length() > 0 && !(frame.length() == 1 && frame.getByte(0) == '\r')) {
      sink.accept(frame);
    }
  }

  /** The stream cannot be trusted past this point; the caller closes the connection. */
  public static final class FrameTooLargeException extends RuntimeException {
    public FrameTooLargeException(int size, int max) {
      super("frame of " + size + " bytes exceeds " + max);
    }
  }
}
