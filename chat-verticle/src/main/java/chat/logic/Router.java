package chat.logic;

import chat.protocol.bus.Push;
import chat.protocol.bus.RemoteDelivery;
import chat.protocol.bus.RemoteNotice;
import chat.protocol.bus.StoreMessage;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online and how to reach them: this node's presence first, then, in a cluster, the
 * Redis registry. Without Redis the node runs alone and only local presence counts.
 */
final class Router {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final Presence presence;
  private final EventBus bus;
  private ClusterLink cluster;
  private final Map<Integer, String> pendingReleases = new HashMap<>();
  private PresenceCoalescer.Emitter presenceListener = (user, online) -> {};

  Router(Presence presence, EventBus bus) {
    this.presence = presence;
    this.bus = bus;
  }

  void join(ClusterLink link) {
    this.cluster = link;
  }

  /** Told of every login that won its claim and every release of a held login on this node. */
  void onPresence(PresenceCoalescer.Emitter listener) {
    this.presenceListener = listener;
  }

  String redisStatus() {
    return cluster == null ? "off" : cluster.up() ? "up" : "down";
  }

  /** Local check-and-claim first (atomic on this event loop), then the cluster-wide one. */
  Future<Boolean> claim(int userId, String session) {
    if (!presence.claim(userId, session)) {
      return Future.succeededFuture(false);
    }
    if (cluster == null) {
      presenceListener.emit(userId, true);
      return Future.succeededFuture(true);
    }
    pendingReleases.remove(userId);
    return cluster.claim(userId, session)
        .recover(e -> {
          presence.release(userId, session);
          return Replies.refuse(ErrorCode.UNAVAILABLE, "cluster registry unreachable");
        })
        .map(ok -> {
          if (!ok) {
            presence.release(userId, session);
          } else if (presence.holds(userId, session)) {
            presenceListener.emit(userId, true);
          }
          return ok;
        });
  }

  void release(int userId, String session) {
    boolean held = presence.holds(userId, session);
    presence.release(userId, session);
    if (!held) {
      return;
    }
    if (cluster == null) {
      presenceListener.emit(userId, false);
      return;
    }
    // told after the registry forgets this login, so the listener's own lookup does not find it
    cluster.release(userId, session).onComplete(ar -> {
      if (ar.failed()) {
        pendingReleases.put(userId, session);
      }
      presenceListener.emit(userId, false);
    });
  }

  /** The subset of {@code users} logged in anywhere; local only if Redis is unreachable. */
  Future<Set<Integer>> online(Collection<Integer> users) {
    Set<Integer> online = new HashSet<>();
    List<Integer> remote = new ArrayList<>();
    for (Integer u : users) {
      if (presence.isOnline(u)) {
        online.add(u);
      } else {
        remote.add(u);
      }
    }
    if (cluster == null || remote.isEmpty()) {
      return Future.succeededFuture(online);
    }
    return cluster.locate(remote)
        .map(found -> {
          online.addAll(found.keySet());
          return online;
        })
        .otherwise(online);
  }

  /** Pushes a stored message to its online recipients, each under its seq. */
  void deliver(List<StoreMessage.Target> deliveries, ChatMessage message) {
    Fanout local = new Fanout(message);
    List<Integer> remote = new ArrayList<>();
    Map<Integer, Long> seqs = new HashMap<>();
    for (StoreMessage.Target d : deliveries) {
      int user = d.user();
      long seq = d.seq();
      String session = presence.sessionOf(user);
      if (session != null) {
        local.add(session, seq);
      } else if (cluster != null) {
        remote.add(user);
        seqs.put(user, seq);
      }
    }
    local.send(bus);
    if (remote.isEmpty()) {
      return;
    }
    // a failure here loses nothing: the message is stored and the recipient's node catches up
    cluster.locate(remote)
        .onSuccess(found -> {
          Map<String, List<RemoteDelivery.Target>> byNode = new HashMap<>();
          found.forEach((user, at) -> byNode.computeIfAbsent(at[0], b -> new ArrayList<>())
              .add(new RemoteDelivery.Target(at[1], seqs.get(user))));
          byNode.forEach((boot, targets) -> cluster.publish(boot, new RemoteDelivery(message, targets, System.currentTimeMillis())));
        })
        .onFailure(e -> LOG.debug("remote delivery skipped: {}", e.getMessage()));
  }

  /**
   * Sends an ephemeral notice (a friend request, say) to the user's session, wherever it is
   * logged in; nothing when offline. At most once and unordered with messages: what a notice
   * announces is stored, and the client reads it again from its lists.
   */
  void notify(int user, Push event) {
    String session = presence.sessionOf(user);
    if (session != null) {
      notifyLocal(session, event);
    } else if (cluster != null) {
      cluster.locate(List.of(user))
          .onSuccess(found -> {
            String[] at = found.get(user);
            if (at != null) {
              cluster.publish(at[0], new RemoteNotice(event, List.of(at[1]), System.currentTimeMillis()));
            }
          })
          .onFailure(e -> LOG.debug("notice to user {} skipped: {}", user, e.getMessage()));
    }
  }

  /**
   * {@link #notify} to many users with one registry lookup and one publish per node, for
   * presence and typing fan-out; offline users are skipped.
   */
  void notifyAll(Collection<Integer> users, Push event) {
    List<Integer> remote = new ArrayList<>();
    for (Integer user : users) {
      String session = presence.sessionOf(user);
      if (session != null) {
        notifyLocal(session, event);
      } else if (cluster != null) {
        remote.add(user);
      }
    }
    if (remote.isEmpty()) {
      return;
    }
    cluster.locate(remote)
        .onSuccess(found -> {
          Map<String, List<String>> byNode = new HashMap<>();
          found.values().forEach(at -> byNode.computeIfAbsent(at[0], b -> new ArrayList<>()).add(at[1]));
          byNode.forEach((boot, sessions) -> cluster.publish(boot, new RemoteNotice(event, sessions, System.currentTimeMillis())));
        })
        .onFailure(e -> LOG.debug("notice to {} users skipped: {}", remote.size(), e.getMessage()));
  }

  private void notifyLocal(String session, Push event) {
    notifyLocal(bus, session, event);
  }

  /** The push itself travels; the login it is for rides in a header, so a push record names no session. */
  static void notifyLocal(EventBus bus, String session, Push event) {
    bus.send(Addresses.NOTIFY_PREFIX + Addresses.gatewayOf(session), event, new DeliveryOptions().addHeader(Addresses.SESSION_HEADER, session));
  }

  /**
   * Signs off the users of gateways whose JVM left the cluster: a dead gateway must not leave its
   * users online. Only "no handlers" counts (the cluster dropped its address); a slow reply from
   * a busy gateway is not a death.
   */
  void checkGateways(long timeoutMs) {
    for (String gateway : presence.gateways()) {
      bus.request(Addresses.PING_PREFIX + gateway, null, new DeliveryOptions().setSendTimeout(timeoutMs))
          .onFailure(e -> {
            if (Replies.noHandlers(e)) {
              LOG.warn("gateway {} is gone; signing off its users", gateway);
              presence.forEach((user, session) -> {
                if (Addresses.gatewayOf(session).equals(gateway)) {
                  release(user, session);
                }
              });
            } else {
              LOG.debug("gateway {} slow to answer: {}", gateway, e.getMessage());
            }
          });
    }
  }

  /**
   * After a Redis outage: finish releases, re-register local users, let sessions catch up. After
   * our heartbeat lapsed ({@code lapsed}) another node may have reaped us and told our users'
   * friends "offline": each user still held here is announced online again.
   */
  void resync(boolean lapsed) {
    Map<Integer, String> releases = new HashMap<>(pendingReleases);
    pendingReleases.clear();
    releases.forEach((user, session) -> cluster.release(user, session).onFailure(e -> pendingReleases.put(user, session)));
    presence.forEach((user, session) -> cluster.claim(user, session).onSuccess(ok -> {
      if (!ok) {
        LOG.warn("user {} logged in on another node while redis was unreachable", user);
      } else if (lapsed && presence.holds(user, session)) {
        presenceListener.emit(user, true);
      }
    }));
    bus.publish(Addresses.GATEWAY_CATCH_UP, null);
  }
}
