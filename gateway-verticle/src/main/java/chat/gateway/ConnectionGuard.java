package chat.gateway;

import chat.protocol.ErrorCode;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Node-wide limits that every gateway instance of one Vert.x shares: open connections (in all,
 * and per client address), new connections per address, temporary bans, and the bytes that all
 * connections hold in unfinished inbound frames and unsent outbound data. Gateway instances run
 * on different event loops, so the counters are atomic; each per-address entry is touched under
 * its own monitor for a few instructions.
 */
final class ConnectionGuard implements Shareable {
  /** Why a connection was not admitted. */
  /** Why a connection was not admitted, with the error it is told. */
  enum Refusal {
    NONE(null, null),
    NODE_FULL(ErrorCode.TOO_MANY_CONNECTIONS, "server full, try again later"),
    ADDRESS_FULL(ErrorCode.TOO_MANY_CONNECTIONS, "too many connections from this address"),
    TOO_FAST(ErrorCode.RATE_LIMITED, "too many new connections from this address"),
    BANNED(ErrorCode.RATE_LIMITED, "temporarily banned: too many bad requests from this address");

    final ErrorCode code;
    final String text;

    Refusal(ErrorCode code, String text) {
      this.code = code;
      this.text = text;
    }
  }

  private static final class Address {
    int connections;
    long bannedUntilNanos;
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
  /** Accounts closed for flooding, until when (nanos); bounded like the addresses. */
  private final ConcurrentHashMap<Integer, Long> bannedAccounts = new ConcurrentHashMap<>();
  private final PreLoginShare preLogin;

  ConnectionGuard(GatewayOptions options, LongSupplier clock) {
    this.options = options;
    this.clock = clock;
    this.preLogin = new PreLoginShare(options.preLoginPerIp(), options.maxPreLogin());
  }

  /** The node's connections without a login. */
  PreLoginShare preLogin() {
    return preLogin;
  }

  /** The guard of this Vert.x instance's gateways: the first instance creates it. */
  static ConnectionGuard of(Vertx vertx, GatewayOptions options) {
    return (ConnectionGuard) vertx.sharedData().getLocalMap("chat.gateway")
        .computeIfAbsent("guard", k -> new ConnectionGuard(options, System::nanoTime));
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
    if (a.bannedUntilNanos > now) {
      return Refusal.BANNED;
    }
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

  /** Refuses new connections from {@code ip} for the ban time. */
  void ban(String ip) {
    Address a = addresses.computeIfAbsent(ip, k -> new Address());
    synchronized (a) {
      a.bannedUntilNanos = clock.getAsLong() + options.banMs() * 1_000_000L;
    }
  }

  /** Refuses logins of {@code userId} on this node for the ban time. */
  void banAccount(int userId) {
    if (bannedAccounts.size() < options.maxTrackedAddresses()) {
      bannedAccounts.put(userId, clock.getAsLong() + options.banMs() * 1_000_000L);
    }
  }

  boolean accountBanned(int userId) {
    Long until = bannedAccounts.get(userId);
    return until != null && until > clock.getAsLong();
  }

  /** Forgets addresses with no connection, no ban and a full bucket; run periodically. */
  void sweep() {
    long now = clock.getAsLong();
    addresses.entrySet().removeIf(e -> {
      Address a = e.getValue();
      synchronized (a) {
        return a.connections <= 0 && a.httpConnections <= 0 && a.bannedUntilNanos <= now
            && (a.connects == null || a.connects.full(now)) && (a.httpConnects == null || a.httpConnects.full(now));
      }
    });
    bannedAccounts.values().removeIf(until -> until <= now);
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

  int trackedAddresses() {
    return addresses.size();
  }
}
