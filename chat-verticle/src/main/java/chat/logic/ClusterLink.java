package chat.logic;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
 *       everywhere within {@code ttlMs}, with nothing to clean up.
 *   <li>{@code chat:deliver:<boot>}: the channel each node subscribes to.
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

  /** Sets the user's location unless another live node holds it. 1 = claimed. */
  private static final String CLAIM =
      "local cur = redis.call('GET', KEYS[1]) "
          + "if cur and cur ~= ARGV[2] then "
          + "  local boot = string.match(cur, '^([^|]+)|') "
          + "  if boot and boot ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. boot) == 1 then return 0 end "
          + "end "
          + "redis.call('SET', KEYS[1], ARGV[2]) return 1";

  /** Deletes the user's location only if it is still this session's. */
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

  private final Vertx vertx;
  private final String nodeId;
  private final String boot = UUID.randomUUID().toString();
  private final long ttlMs;
  private final RedisCommands commands;
  private final Redis subscriptions;
  private final Consumer<JsonObject> onPublish;
  private final Runnable onResync;
  private RedisConnection sub;
  private boolean heartbeatOk;
  private boolean subscribed;
  private boolean resyncNeeded = true;
  private long backoffMs = 100;
  private long heartbeatTimer;
  private boolean stopped;

  ClusterLink(Vertx vertx, String url, String nodeId, long ttlMs, Consumer<JsonObject> onPublish, Runnable onResync) {
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
    return commands.send(Command.DEL, List.of(NODE + boot)).<Void>mapEmpty().recover(e -> Future.succeededFuture())
        .eventually(() -> subscriptions.close().compose(v -> commands.close()));
  }

  private void heartbeat() {
    commands.send(Command.SET, List.of(NODE + boot, nodeId, "PX", String.valueOf(ttlMs)))
        .onSuccess(r -> {
          if (!heartbeatOk) {
            LOG.info("redis heartbeat ok (node {} boot {})", nodeId, boot);
          }
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
      onResync.run();
    }
  }

  private void onPush(Response r) {
    if (r.size() == 3 && "message".equals(r.get(0).toString())) {
      try {
        onPublish.accept(new JsonObject(r.get(2).toString()));
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
    return commands.send(Command.EVAL, List.of(CLAIM, "1", USER + userId, boot, boot + "|" + session, NODE))
        .map(r -> r.toInteger() == 1);
  }

  Future<Void> release(int userId, String session) {
    return commands.send(Command.EVAL, List.of(RELEASE, "1", USER + userId, boot + "|" + session)).mapEmpty();
  }

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

  Future<Void> publish(String toBoot, JsonObject message) {
    return commands.send(Command.PUBLISH, List.of(CHANNEL + toBoot, message.encode())).mapEmpty();
  }
}
