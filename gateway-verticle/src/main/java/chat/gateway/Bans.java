package chat.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who is refused for a while after earning {@code CHAT_STRIKES} over-limit events on one
 * connection. Once logged in it is the account ({@code CHAT_BAN_MS}): an address may hold a whole
 * NAT or office, and its other users did nothing. Before a login there is no account, so it is the
 * address, briefly ({@code CHAT_ADDRESS_BAN_MS}), and never an address that stands for many
 * clients: one in {@code CHAT_LOGIN_IP_EXEMPT} (loopback by default: a proxy on this host) or a
 * trusted proxy ({@code CHAT_TRUSTED_PROXIES}). Shared by every gateway instance of the node, so
 * its tables are concurrent; each is bounded like the guard's addresses.
 */
final class Bans {
  private final long accountMs;
  private final long addressMs;
  private final Set<String> neverBanned;
  private final int tracked;
  private final LongSupplier clock;
  private final ConcurrentHashMap<Integer, Long> accounts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> addresses = new ConcurrentHashMap<>();

  Bans(GatewayOptions options, LongSupplier clock) {
    this.accountMs = options.banMs();
    this.addressMs = options.addressBanMs();
    Set<String> many = new java.util.HashSet<>(options.loginIpExempt());
    many.addAll(options.trustedProxies());
    this.neverBanned = Set.copyOf(many);
    this.tracked = options.maxTrackedAddresses();
    this.clock = clock;
  }

  /** Bans the account for {@code CHAT_BAN_MS}; false when bans are off (0) or the table is full. */
  boolean banAccount(int userId) {
    return ban(accounts, userId, accountMs);
  }

  /**
   * Bans the address (an IPv6 one's /64, which one subscriber gets whole) for
   * {@code CHAT_ADDRESS_BAN_MS}; false when it stands for many clients, bans are off or the table is full.
   */
  boolean banAddress(String ip) {
    return !neverBanned.contains(ip) && ban(addresses, PreLoginShare.key(ip), addressMs);
  }

  private <K> boolean ban(ConcurrentHashMap<K, Long> table, K key, long ms) {
    if (ms <= 0 || (table.size() >= tracked && !table.containsKey(key))) {
      return false;
    }
    table.put(key, clock.getAsLong() + ms * 1_000_000L);
    return true;
  }

  /** Milliseconds the account's ban has left, 0 if it is not banned. */
  long accountLeftMs(int userId) {
    return left(accounts.get(userId));
  }

  /** Milliseconds the address's ban has left, 0 if it is not banned. */
  long addressLeftMs(String ip) {
    return addresses.isEmpty() || neverBanned.contains(ip) ? 0 : left(addresses.get(PreLoginShare.key(ip)));
  }

  private long left(Long untilNanos) {
    if (untilNanos == null) {
      return 0;
    }
    long left = untilNanos - clock.getAsLong();
    return left <= 0 ? 0 : Math.max(1, left / 1_000_000L);
  }

  long accountMs() {
    return accountMs;
  }

  long addressMs() {
    return addressMs;
  }

  /** Forgets bans that have ended; run periodically. */
  void sweep() {
    long now = clock.getAsLong();
    accounts.values().removeIf(until -> until - now <= 0);
    addresses.values().removeIf(until -> until - now <= 0);
  }

  int size() {
    return accounts.size() + addresses.size();
  }
}
