package chat.gateway;

import chat.protocol.ErrorCode;

import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Node-wide limits that every gateway instance of one Vert.x shares: open connections (in all,
 * and per client address), new connections per address, temporary bans ({@link Bans}), and the
 * bytes that all connections hold in unfinished inbound frames and unsent outbound data. Gateway
 * instances run on different event loops, so the counters are atomic; each per-address entry is
 * touched under its own monitor for a few instructions.
 */
final class ConnectionGuard implements Shareable {
  /** Why a connection was not admitted, with the error it is told. */
  enum Refusal {
    NONE(null, null),
    NODE_FULL(ErrorCode.TOO_MANY_CONNECTIONS, "server full, try again later"),
    ADDRESS_FULL(ErrorCode.TOO_MANY_CONNECTIONS, "too many connections from this address"),
    TOO_FAST(ErrorCode.RATE_LIMITED, "too many new connections from this address"),
    BANNED(ErrorCode.BANNED, "temporarily banned: too many refused requests from this address");

    final ErrorCode code;
    final String text;

    Refusal(ErrorCode code, String text) {
      this.code = code;
      this.text = text;
    }
  }

  private static final class Address {
    int connections;
    TokenBucket connects;
    /** Connections to the HTTP port by peer, and their connect rate: apart from the chat connections, which count the client. */
    int httpConnections;
    TokenBucket httpConnects;
  }

  private final GatewayOptions options;
  private final LongSupplier clock;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger httpConnections = new AtomicInteger();
  private final AtomicLong inboundBytes = new AtomicLong();
  private final AtomicLong outboundBytes = new AtomicLong();
  private final ConcurrentHashMap<String, Address> addresses = new ConcurrentHashMap<>();
  private final Bans bans;
  private final PreLoginShare preLogin;

  ConnectionGuard(GatewayOptions options, LongSupplier clock) {
    this.options = options;
    this.clock = clock;
    this.bans = new Bans(options, clock);
    this.preLogin = new PreLoginShare(options.preLoginPerIp(), options.maxPreLogin());
  }

  Bans bans() {
    return bans;
  }

  /** The node's connections without a login. */
  PreLoginShare preLogin() {
    return preLogin;
  }

  /**
   * Counts an HTTP connection to the web port in (page, health, or one that will become a
   * WebSocket, which is then admitted as a chat connection too, by its client's address), or says
   * why not: past its peer's connection cap or connect rate, or past the node's connection cap
   * (idle keep-alive connections cost heap like any other). The handler sees only the peer, before
   * any header: a trusted proxy ({@code CHAT_TRUSTED_PROXIES}) speaks for many clients, so it
   * counts against the node's cap only. Admitted ones must be {@link #closeHttp}d with the same peer.
   */
  Refusal openHttp(String peer) {
    boolean perAddress = !options.trustedProxies().contains(peer);
    if (perAddress) {
      Refusal r = withAddress(peer, a -> openHttp(a, clock.getAsLong()));
      if (r != Refusal.NONE) {
        return r;
      }
    }
    if (httpConnections.incrementAndGet() > options.maxConnections()) {
      httpConnections.decrementAndGet();
      if (perAddress) {
        withAddress(peer, a -> {
          a.httpConnections--;
          return Refusal.NONE;
        });
      }
      return Refusal.NODE_FULL;
    }
    return Refusal.NONE;
  }

  private Refusal openHttp(Address a, long now) {
    if (a.httpConnects == null) {
      a.httpConnects = new TokenBucket(options.httpConnectRatePerIp(), options.httpConnectBurstPerIp(), now);
    }
    if (!a.httpConnects.take(now)) {
      return Refusal.TOO_FAST;
    }
    if (a.httpConnections >= options.httpMaxConnectionsPerIp()) {
      return Refusal.ADDRESS_FULL;
    }
    a.httpConnections++;
    return Refusal.NONE;
  }

  void closeHttp(String peer) {
    httpConnections.decrementAndGet();
    Address a = options.trustedProxies().contains(peer) ? null : addresses.get(peer);
    if (a != null) {
      synchronized (a) {
        a.httpConnections--;
      }
    }
  }

  int httpConnections() {
    return httpConnections.get();
  }

  /** Counts a new connection from {@code ip} in, or says why not. Admitted ones must be {@link #release}d. */
  Refusal admit(String ip) {
    if (bans.addressLeftMs(ip) > 0) {
      return Refusal.BANNED;
    }
    long now = clock.getAsLong();
    return withAddress(ip, a -> admit(a, now));
  }

  /** Runs {@code step} on the address's entry under its monitor; the table of addresses itself must not grow without bound. */
  private Refusal withAddress(String ip, java.util.function.Function<Address, Refusal> step) {
    while (true) {
      Address a = addresses.get(ip);
      if (a == null) {
        if (addresses.size() >= options.maxTrackedAddresses()) {
          return Refusal.NODE_FULL;
        }
        a = addresses.computeIfAbsent(ip, k -> new Address());
      }
      synchronized (a) {
        if (addresses.get(ip) != a) {
          continue; // swept away meanwhile: count on the entry that is in the table
        }
        return step.apply(a);
      }
    }
  }

  private Refusal admit(Address a, long now) {
    if (a.connects == null) {
      a.connects = new TokenBucket(options.connectRatePerIp(), options.connectBurstPerIp(), now);
    }
    if (!a.connects.take(now)) {
      return Refusal.TOO_FAST;
    }
    if (a.connections >= options.maxConnectionsPerIp()) {
      return Refusal.ADDRESS_FULL;
    }
    if (connections.incrementAndGet() > options.maxConnections()) {
      connections.decrementAndGet();
      return Refusal.NODE_FULL;
    }
    a.connections++;
    return Refusal.NONE;
  }

  void release(String ip) {
    connections.decrementAndGet();
    Address a = addresses.get(ip);
    if (a != null) {
      synchronized (a) {
        a.connections--;
      }
    }
  }

  /** Forgets addresses with no connection and full buckets, and ended bans; run periodically. */
  void sweep() {
    long now = clock.getAsLong();
    addresses.entrySet().removeIf(e -> {
      Address a = e.getValue();
      synchronized (a) {
        return a.connections <= 0 && a.httpConnections <= 0
            && (a.connects == null || a.connects.full(now)) && (a.httpConnects == null || a.httpConnects.full(now));
      }
    });
    bans.sweep();
  }

  /** Adds (or with a negative delta removes) bytes of unfinished inbound frames; false when over the node's budget. */
  boolean inbound(long delta) {
    return inboundBytes.addAndGet(delta) <= options.nodeInboundBytes();
  }

  /** Adds or removes bytes written but not yet sent; false when over the node's budget. */
  boolean outbound(long delta) {
    return outboundBytes.addAndGet(delta) <= options.nodeOutboundBytes();
  }

  int connections() {
    return connections.get();
  }

  long inboundBytes() {
    return inboundBytes.get();
  }

  long outboundBytes() {
    return outboundBytes.get();
  }

  /**
   * Why the node refuses every new connection now, or null while it admits some: at its connection
   * cap (chat or web port), its share of connections without a login full with none to evict, or
   * its table of addresses full. Counters only: the readiness probe asks it.
   */
  String refusing() {
    if (connections.get() >= options.maxConnections()) {
      return "full: " + connections.get() + " connections, the cap is " + options.maxConnections();
    }
    if (httpConnections.get() >= options.maxConnections()) {
      return "full: " + httpConnections.get() + " connections to the web port, the cap is " + options.maxConnections();
    }
    if (preLogin.stuck()) {
      return "full: " + preLogin.total() + " connections without a login, none of them idle";
    }
    if (addresses.size() >= options.maxTrackedAddresses()) {
      return "full: " + addresses.size() + " client addresses tracked";
    }
    return null;
  }

  int trackedAddresses() {
    return addresses.size();
  }
}
