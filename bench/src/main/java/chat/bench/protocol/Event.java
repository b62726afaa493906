package chat.bench.protocol;

import java.util.List;

/** What a protocol decodes from one server frame. Scenarios only see these. */
public sealed interface Event {

  /** A login reply. {@code groups} holds the groups the user is in (id and name). */
  record LoginAck(boolean ok, int errno, int id, String name, List<GroupRef> groups, int offline)
      implements Event {}

  record RegisterAck(boolean ok, int id) implements Event {}

  /** A chat delivered to us: {@code group} is 0 for one-to-one messages. */
  record Incoming(int from, int to, int group, String text) implements Event {}

  /** A send was stored and acknowledged (v2 only; classic chats have no reply). */
  record SendAck() implements Event {}

  record ServerError(int code, String message) implements Event {}

  /** Anything the bench does not act on (kept so it can be counted). */
  record Other(String raw) implements Event {}

  record GroupRef(int id, String name) {}
}
