package chat.logic;

import chat.protocol.Addresses;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Who is online on this node, and at which session address. Only the chat verticle's event loop
 * touches it, so check-and-claim is atomic without locks.
 */
final class Presence {
  private final Map<Integer, String> sessions = new HashMap<>();

  /** Claims the account for a session; false when another session holds it. */
  boolean claim(int userId, String session) {
    return sessions.putIfAbsent(userId, session) == null;
  }

  /** Releases only if this session still holds the account: a late close must not evict a newer login. */
  void release(int userId, String session) {
    sessions.remove(userId, session);
  }

  boolean isOnline(int userId) {
    return sessions.containsKey(userId);
  }

  boolean holds(int userId, String session) {
    return session.equals(sessions.get(userId));
  }

  /** The user's session on this node, or null. */
  String sessionOf(int userId) {
    return sessions.get(userId);
  }

  void forEach(BiConsumer<Integer, String> action) {
    new HashMap<>(sessions).forEach(action);
  }

  /** The gateways that hold sessions here. */
  Set<String> gateways() {
    Set<String> ids = new HashSet<>();
    sessions.values().forEach(s -> ids.add(Addresses.gatewayOf(s)));
    return ids;
  }

  int size() {
    return sessions.size();
  }
}
