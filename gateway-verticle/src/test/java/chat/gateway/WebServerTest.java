package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WebSocket's Origin check (the page's own origin as served, the allow-list, non-browser clients) and the client's address. */
class WebServerTest {
  private static List<InetAddress> addresses(String... literals) throws Exception {
    List<InetAddress> list = new java.util.ArrayList<>();
    for (String l : literals) {
      list.add(InetAddress.getByName(l)); // literals: no lookup
    }
    return list;
  }

  @Test
  void thePageAsServedIsAllowedWhateverHostTheClientNames() throws Exception {
    WebOrigins o = new WebOrigins(List.of(), "127.0.0.1", 8080, addresses("10.0.0.5"));
    assertThat(o.allows("http://127.0.0.1:8080")).isTrue();
    assertThat(o.allows("http://localhost:8080")).isTrue();
    assertThat(o.allows("http://10.0.0.5:8080")).as("not bound there").isFalse();
    assertThat(o.allows("http://127.0.0.1:8081")).as("port differs").isFalse();
    assertThat(o.allows("https://127.0.0.1:8080")).as("scheme differs").isFalse();
    // DNS rebinding: the browser sends the hostile name as Host and Origin alike
    assertThat(o.allows("http://rebind.evil.example:8080")).isFalse();
  }

  @Test
  void onTheWildcardEveryLocalAddressIsThePagesOwn() throws Exception {
    WebOrigins o = new WebOrigins(List.of(), "0.0.0.0", 80, addresses("127.0.0.1", "10.0.0.5", "::1", "fe80::1%1"));
    assertThat(o.allows("http://10.0.0.5")).isTrue();
    assertThat(o.allows("http://[::1]")).isTrue();
    assertThat(o.allows("http://[fe80::1]")).isTrue();
    assertThat(o.allows("http://localhost")).isTrue();
    assertThat(o.allows("http://10.0.0.6")).isFalse();
  }

  @Test
  void anotherOriginOnlyWhenListed() throws Exception {
    List<String> allowed = GatewayOptions.origins(" https://chat.example.com , https://M.example.com ,");
    assertThat(allowed).containsExactly("https://chat.example.com", "https://M.example.com");
    WebOrigins o = new WebOrigins(allowed, "10.0.0.5", 8080, addresses());
    assertThat(o.allows("https://m.example.com")).isTrue();
    assertThat(o.allows("https://chat.example.com")).isTrue();
    assertThat(o.allows("https://evil.example.com")).isFalse();
    assertThat(o.allows("null")).as("a sandboxed or file page").isFalse();
    assertThat(o.allows("http://localhost:8080")).as("bound elsewhere than loopback").isFalse();
  }

  @Test
  void aClientWithoutOriginIsNotABrowserAndIsAllowed() throws Exception {
    assertThat(new WebOrigins(List.of(), "127.0.0.1", 8080, addresses()).allows(null)).isTrue();
  }

  @Test
  void theAddressBehindATrustedProxyIsTheOneItNames() {
    List<String> proxies = GatewayOptions.origins("127.0.0.1");
    assertThat(WebServer.clientAddress("127.0.0.1", "203.0.113.7", proxies)).isEqualTo("203.0.113.7");
    assertThat(WebServer.clientAddress("198.51.100.9", "203.0.113.7", proxies)).as("not a proxy: the header is ignored").isEqualTo("198.51.100.9");
    assertThat(WebServer.clientAddress("127.0.0.1", null, proxies)).isEqualTo("127.0.0.1");
    assertThat(WebServer.clientAddress("127.0.0.1", "203.0.113.7", List.of())).as("no proxy trusted by default").isEqualTo("127.0.0.1");
  }
}
