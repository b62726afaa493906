package chat.logic;

import chat.protocol.bus.BusCodec;
import chat.protocol.bus.NodeLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster through Redis: a presence registry and pub/sub between nodes.
 *
 * <ul>
 *   <li>{@code chat:node:<boot>}: this node's heartbeat, expiring after {@code ttlMs}. The boot id
 *       is new at every start, so a restarted node never inherits a dead one's users.
 *   <li>{@code chat:user:<id>} = {@code <boot>|<session address>}: where a user is logged in. It
 *       counts only while that boot's heartbeat key exists, so a killed node's users are offline
 *       everywhere within {@code ttlMs}.
 *   <li>{@code chat:deliver:<boot>}: the channel each node subscribes to.
 *   <li>{@code chat:boots}: the boots that may hold users, and {@code chat:boot-users:<boot>} the
 *       users each one registered. A lookup already treats a killed node's users as offline, but
 *       their friends were told "online" and must be told otherwise: {@link NodeReaper} finds
 *       boots without a heartbeat here and clears their users (claim {@code chat:reap:<boot>}).
 *       A clean stop removes its own entries.
 * </ul>
 *
 * Pub/sub is at-most-once: messages are stored before they are published, and a node that
 * (re)subscribes tells its sessions to catch up from the database.
 */
final class ClusterLink {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);
  static final String USER = "chat:user:";
  static final String NODE = "chat:node:";
  static final String CHANNEL = "chat:deliver:";
  static final String BOOTS = "chat:boots";
  static final String BOOT_USERS = "chat:boot-users:";
  static final String REAP = "chat:reap:";

  private final Vertx vertx;
  private final String nodeId;
  private final String boot = UUID.randomUUID().toString();
  private final long ttlMs;
  private final RedisCommands commands;
  private final Redis subscriptions;
  private final Consumer<NodeLink> onPublish;
  private final Consumer<Boolean> onResync;
  private RedisConnection sub;
  private boolean heartbeatOk;
  private boolean beaten;
  private boolean lapsed;
  private boolean subscribed;
  private boolean resyncNeeded = true;
  private long backoffMs = 100;
  private long heartbeatTimer;
  private boolean stopped;

  /** {@code onResync} is told true when this node's heartbeat had lapsed, so it may have been reaped. */
  ClusterLink(Vertx vertx, String url, String nodeId, long ttlMs, Consumer<NodeLink> onPublish, Consumer<Boolean> onResync) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.ttlMs = ttlMs;
    this.onPublish = onPublish;
    this.onResync = onResync;
    NetClientOptions net = new NetClientOptions().setConnectTimeout(1000).setTcpNoDelay(true);
    // one pipelined connection: commands (and so publishes) leave in the order they were issued
    this.commands = new RedisCommands(Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setNetClientOptions(net).setMaxPoolSize(1).setMaxWaitingHandlers(1_000_000)));
    this.subscriptions = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
        .setNetClientOptions(net).setMaxPoolSize(1));
  }

  String boot() {
    return boot;
  }

  /** Up when both the heartbeat and the subscription work. */
  boolean up() {
    return heartbeatOk && subscribed;
  }

  /** Starts heartbeats and the subscription; Redis being down delays nothing (we retry). */
  void start() {
    heartbeat();
    heartbeatTimer = vertx.setPeriodic(Math.max(100, ttlMs / 5), id -> heartbeat());
    subscribe();
  }

  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(heartbeatTimer);
    if (sub != null) {
      sub.close();
    }
    // our users were signed off before this; what is left of the listing is stale
    commands.send(Command.DEL, List.of(BOOT_USERS + boot));
    commands.send(Command.SREM, List.of(BOOTS, boot));
    return commands.send(Command.DEL, List.of(NODE + boot)).<Void>mapEmpty().recover(e -> Future.succeededFuture())
        .eventually(() -> subscriptions.close().compose(v -> commands.close()));
  }

  /**
   * The heartbeat, then the boot list: a reaper that sees this boot listed also sees its
   * heartbeat, since one connection keeps the order. A heartbeat that finds no previous key after
   * the first one means ours expired (a long pause, say) and we may have been reaped: resync.
   */
  private void heartbeat() {
    Future<Response> set = commands.send(Command.SET, List.of(NODE + boot, nodeId, "PX", String.valueOf(ttlMs), "GET"));
    commands.send(Command.SADD, List.of(BOOTS, boot));
    set
        .onSuccess(r -> {
          if (!heartbeatOk) {
            LOG.info("redis heartbeat ok (node {} boot {})", nodeId, boot);
          }
          if (r == null && beaten) {
            LOG.warn("redis heartbeat had lapsed (node {}); re-registering our users", nodeId);
            resyncNeeded = true;
            lapsed = true;
          }
          beaten = true;
          heartbeatOk = true;
          maybeResync();
        })
        .onFailure(e -> {
          if (heartbeatOk) {
            LOG.warn("redis unreachable: serving local users, remote ones catch up later ({})", e.getMessage());
          }
          heartbeatOk = false;
          resyncNeeded = true;
        });
  }

  private void subscribe() {
    if (stopped) {
      return;
    }
    subscriptions.connect()
        .compose(conn -> {
          sub = conn;
          conn.handler(this::onPush);
          conn.exceptionHandler(e -> lost(conn));
          conn.endHandler(v -> lost(conn));
          return conn.send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL + boot));
        })
        .onSuccess(r -> {
          subscribed = true;
          backoffMs = 100;
          resyncNeeded = true;
          maybeResync();
        })
        .onFailure(e -> {
          subscribed = false;
          retrySubscribe();
        });
  }

  private void lost(RedisConnection conn) {
    if (conn != sub || stopped) {
      return;
    }
    sub = null;
    subscribed = false;
    resyncNeeded = true;
    LOG.warn("redis subscription lost; reconnecting");
    retrySubscribe();
  }

  private void retrySubscribe() {
    long delay = backoffMs;
    backoffMs = Math.min(5000, backoffMs * 2);
    vertx.setTimer(delay, id -> subscribe());
  }

  /** After an outage: re-register our users, then let every session catch up from the database. */
  private void maybeResync() {
    if (up() && resyncNeeded) {
      resyncNeeded = false;
      boolean wasLapsed = lapsed;
      lapsed = false;
      onResync.accept(wasLapsed);
    }
  }

  private void onPush(Response r) {
    if (r.size() == 3 && "message".equals(r.get(0).toString())) {
      try {
        onPublish.accept(BusCodec.fromJson(r.get(2).toString(), NodeLink.class));
      } catch (RuntimeException e) {
        LOG.warn("bad cluster message ignored", e);
      }
    }
  }

  /**
   * Registers a login; false when another live node holds the user. An entry of this node's own
   * is stale (the local presence map, checked first, is the truth here) and is replaced.
   */
  Future<Boolean> claim(int userId, String session) {
    return commands.send(Command.EVAL, List.of(RegistryScripts.CLAIM, "1", USER + userId, boot, boot + "|" + session, NODE,
            BOOT_USERS + boot, String.valueOf(userId)))
        .map(r -> r.toInteger() == 1);
  }

  Future<Void> release(int userId, String session) {
    return commands.send(Command.EVAL, List.of(RegistryScripts.RELEASE, "1", USER + userId, boot + "|" + session,
        BOOT_USERS + boot, String.valueOf(userId))).mapEmpty();
  }

  /** Up to {@code max} listed boots, other than ours, whose heartbeat key is gone. */
  Future<List<String>> deadBoots(int max) {
    return commands.send(Command.SRANDMEMBER, List.of(BOOTS, String.valueOf(max))).compose(listed -> {
      List<String> others = new ArrayList<>();
      listed.forEach(b -> {
        if (!boot.equals(b.toString())) {
          others.add(b.toString());
        }
      });
      if (others.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return commands.send(Command.MGET, others.stream().map(b -> NODE + b).toList()).map(alive -> {
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
          if (alive.get(i) == null) {
            dead.add(others.get(i));
          }
        }
        return dead;
      });
    });
  }

  /** True when this node holds the right to reap {@code deadBoot} for the next {@code leaseMs}. */
  Future<Boolean> claimReap(String deadBoot, long leaseMs) {
    return commands.send(Command.EVAL, List.of(RegistryScripts.REAP_CLAIM, "1", REAP + deadBoot, boot, String.valueOf(leaseMs)))
        .map(r -> r.toInteger() == 1);
  }

  /** One page of a dead boot's users: those whose location was cleared, and how many are left. */
  Future<ReapedPage> reapPage(String deadBoot, int page) {
    return commands.send(Command.EVAL, List.of(RegistryScripts.REAP_PAGE, "1", BOOT_USERS + deadBoot, deadBoot,
            String.valueOf(page), USER, BOOTS))
        .map(r -> {
          List<Integer> cleared = new ArrayList<>(r.size() - 1);
          for (int i = 1; i < r.size(); i++) {
            cleared.add(Integer.parseInt(r.get(i).toString()));
          }
          return new ReapedPage(cleared, r.get(0).toLong());
        });
  }

  record ReapedPage(List<Integer> cleared, long left) {}

  /** Where each of {@code users} is logged in on a live node: userId -> {boot, session}. */
  Future<Map<Integer, String[]>> locate(List<Integer> users) {
    if (users.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> keys = new ArrayList<>(users.size());
    users.forEach(u -> keys.add(USER + u));
    return commands.send(Command.MGET, keys).compose(values -> {
      Map<Integer, String[]> found = new HashMap<>();
      Set<String> boots = new HashSet<>();
      for (int i = 0; i < users.size(); i++) {
        Response v = values.get(i);
        if (v != null) {
          String[] at = v.toString().split("\\|", 2);
          if (at.length == 2) {
            found.put(users.get(i), at);
            boots.add(at[0]);
          }
        }
      }
      if (found.isEmpty()) {
        return Future.succeededFuture(found);
      }
      List<String> bootList = new ArrayList<>(boots);
      List<String> nodeKeys = bootList.stream().map(b -> NODE + b).toList();
      return commands.send(Command.MGET, nodeKeys).map(alive -> {
        Set<String> live = new HashSet<>();
        for (int i = 0; i < bootList.size(); i++) {
          if (alive.get(i) != null) {
            live.add(bootList.get(i));
          }
        }
        found.values().removeIf(at -> !live.contains(at[0]));
        return found;
      });
    });
  }

  /** At most once, like Redis pub/sub: nothing is kept for a node that is not listening. */
  Future<Void> publish(String toBoot, NodeLink payload) {
    return commands.send(Command.PUBLISH, List.of(CHANNEL + toBoot, BusCodec.toJson(payload))).mapEmpty();
  }
}
