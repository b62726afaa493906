package chat.gateway;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The origins whose pages may open {@code /ws}: those configured ({@code CHAT_WEB_ORIGINS}) and
 * the page's own as this node serves it, which is known without asking the client: the bind
 * address (every local address when it is the wildcard) and {@code localhost}, on the HTTP port.
 * The {@code Host} header is not trusted: under DNS rebinding a hostile name resolves to this node,
 * and the browser sends that name as both Host and Origin. A page served under a name (a proxy, a
 * load balancer) names its origin in {@code CHAT_WEB_ORIGINS}.
 */
final class WebOrigins {
  private final Set<String> allowed;

  WebOrigins(List<String> configured, String bindHost, int httpPort, List<InetAddress> localAddresses) {
    Set<String> all = new LinkedHashSet<>();
    configured.forEach(o -> all.add(o.toLowerCase(Locale.ROOT)));
    for (String host : servedHosts(bindHost, localAddresses)) {
      all.add("http://" + host + (httpPort == 80 ? "" : ":" + httpPort));
    }
    this.allowed = Set.copyOf(all);
  }

  /** These origins for a server on the node's bind host and HTTP port. */
  static WebOrigins of(GatewayOptions options) {
    return new WebOrigins(options.webOrigins(), options.host(), options.httpPort(), localAddresses());
  }

  /**
   * A browser always names the page's origin; a page elsewhere must not drive a user's session
   * here (cross-site WebSocket hijacking). Without the header the client is not a browser, and
   * nothing of a user's is at stake.
   */
  boolean allows(String origin) {
    return origin == null || allowed.contains(origin.toLowerCase(Locale.ROOT));
  }

  Set<String> allowed() {
    return allowed;
  }

  private static List<String> servedHosts(String bindHost, List<InetAddress> localAddresses) {
    List<String> hosts = new ArrayList<>();
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(bindHost);
    boolean wildcard = literal != null && allZero(literal);
    if (wildcard) {
      localAddresses.forEach(a -> hosts.add(literal(a.getAddress())));
    } else {
      hosts.add(literal != null ? literal(literal) : bindHost.toLowerCase(Locale.ROOT));
    }
    if (wildcard || "localhost".equalsIgnoreCase(bindHost) || (literal != null && isLoopback(literal))) {
      hosts.add("localhost");
    }
    return hosts;
  }

  /** How a browser writes an address in an origin: IPv6 compressed (RFC 5952) in brackets. */
  private static String literal(byte[] address) {
    String text = NetUtil.bytesToIpAddress(address);
    return address.length == 16 ? "[" + text + "]" : text;
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLoopback(byte[] address) {
    try {
      return InetAddress.getByAddress(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The machine's addresses, read once at start; none if the interfaces cannot be listed. */
  static List<InetAddress> localAddresses() {
    try {
      return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses).toList();
    } catch (SocketException e) {
      return List.of();
    }
  }
}
