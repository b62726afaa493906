package chat.bench.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * The wire format, kept apart from the scenarios so a later protocol version is one more
 * implementation. Encoders return bytes ready to write, delimiter included.
 */
public interface ChatProtocol {
  String name();

  Buffer register(String name, String password);

  Buffer login(int id, String password);

  Buffer send(int from, String fromName, int to, String text);

  Buffer groupSend(int from, String fromName, int group, String text);

  Buffer addFriend(int id, int friend);

  Buffer createGroup(int id, String name, String description);

  Buffer joinGroup(int id, int group);

  /** A per-connection decoder: feed it reads, it calls {@code sink} once per event. */
  Decoder decoder(Consumer<Event> sink);

  interface Decoder {
    void feed(Buffer chunk);
  }

  static ChatProtocol byName(String name) {
    if ("classic".equals(name)) {
      return new ClassicProtocol();
    }
    if ("v2".equals(name)) {
      return new V2Protocol();
    }
    throw new IllegalArgumentException("unknown protocol " + name + " (known: classic, v2)");
  }
}
