package chat.gateway;

import io.netty.util.NetUtil;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's share of connections without a login: at most {@code perAddress} from one address
 * (one IPv6 /64, which one subscriber gets whole) and {@code share} in all, a part of the node's
 * connection cap, so that idle connections that never log in cannot fill the node. Shared by every
 * gateway instance: the total is atomic and each address's count is changed in one
 * {@link ConcurrentHashMap#compute}; an address without such connections has no entry.
 */
final class PreLoginShare {
  enum Result { ENTERED, ADDRESS_FULL, SHARE_FULL }

  private final int perAddress;
  private final int share;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();
  /** A connection was refused for the full share with none to evict; cleared by the next that enters. */
  private volatile boolean blocked;

  PreLoginShare(int perAddress, int share) {
    this.perAddress = perAddress;
    this.share = share;
  }

  /** A connection without a login from {@code ip}, within the caps, or why not. Entered ones must {@link #leave}. */
  Result enter(String ip) {
    Result[] result = {Result.ENTERED};
    byAddress.compute(key(ip), (k, n) -> {
      int count = n == null ? 0 : n;
      if (count >= perAddress) {
        result[0] = Result.ADDRESS_FULL;
      } else if (total.incrementAndGet() > share) {
        total.decrementAndGet();
        result[0] = Result.SHARE_FULL;
      } else {
        count++;
      }
      return count == 0 ? null : count;
    });
    if (result[0] == Result.ENTERED && blocked) {
      blocked = false;
    }
    return result[0];
  }

  /** The share was full and no idle connection without a login could be closed for a new one. */
  void blocked() {
    blocked = true;
  }

  /** Refusing new connections: full, and the last try to make room found none to evict. */
  boolean stuck() {
    return blocked && total.get() >= share;
  }

  /** A logout: the connection is without a login again. Counted past the caps: it was admitted already. */
  void reenter(String ip) {
    total.incrementAndGet();
    byAddress.merge(key(ip), 1, Integer::sum);
  }

  /** The connection logged in, was closed, or was evicted. */
  void leave(String ip) {
    total.decrementAndGet();
    byAddress.computeIfPresent(key(ip), (k, n) -> n <= 1 ? null : n - 1);
  }

  int total() {
    return total.get();
  }

  int addresses() {
    return byAddress.size();
  }

  /** What one subscriber holds: an IPv4 address, or the /64 of an IPv6 one. */
  static String key(String ip) {
    byte[] bytes = ip.indexOf(':') < 0 ? null : NetUtil.createByteArrayFromIpAddressString(ip);
    if (bytes == null || bytes.length != 16) {
      return ip;
    }
    java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
    return NetUtil.bytesToIpAddress(bytes) + "/64";
  }
}
