package chat.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * The granted logins of every gateway instance in this JVM, by user: where a sender's gateway
 * finds a recipient held by a sibling instance, so that the delivery goes there straight instead
 * of through chat. A Vert.x local map (a concurrent map, no locks) of immutable strings; each
 * gateway writes only its own logins, and removes one only while it is still the one recorded.
 */
final class NodeLogins {
  private final LocalMap<Integer, String> map;

  private NodeLogins(LocalMap<Integer, String> map) {
    this.map = map;
  }

  static NodeLogins of(Vertx vertx) {
    return new NodeLogins(vertx.sharedData().getLocalMap("chat.gateway.logins"));
  }

  void put(int user, String session) {
    map.put(user, session);
  }

  void remove(int user, String session) {
    map.removeIfPresent(user, session);
  }

  /** The session address of the user's granted login in this JVM, or null. */
  String sessionOf(int user) {
    return map.get(user);
  }
}
