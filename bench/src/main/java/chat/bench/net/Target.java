package chat.bench.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A server to load. Only 127.0.0.0/8 is accepted: this tool opens thousands of connections and
 * must never be pointed at someone else's machine by a typo.
 */
public record Target(String host, int port) {

  public static Target parse(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("target must be host:port, got " + spec);
    }
    String host = spec.substring(0, colon);
    int port = Integer.parseInt(spec.substring(colon + 1));
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve " + host);
    }
    if (!(address instanceof Inet4Address) || (address.getAddress()[0] & 0xff) != 127) {
      throw new IllegalArgumentException(
          "refusing target " + spec + ": only 127.0.0.0/8 addresses are allowed");
    }
    return new Target(address.getHostAddress(), port);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
