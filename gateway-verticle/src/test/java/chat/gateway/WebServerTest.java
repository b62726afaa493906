package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The WebSocket's Origin check: the page's own origin, the allow-list, and non-browser clients. */
class WebServerTest {
  @Test
  void theSameOriginIsAllowedOverHttpAndHttps() {
    assertThat(WebServer.originAllowed("http://chat.local:8080", "chat.local:8080", false, List.of())).isTrue();
    assertThat(WebServer.originAllowed("https://chat.local", "chat.local", true, List.of())).isTrue();
    assertThat(WebServer.originAllowed("http://chat.local", "chat.local", true, List.of())).as("scheme differs").isFalse();
    assertThat(WebServer.originAllowed("http://chat.local:8081", "chat.local:8080", false, List.of())).as("port differs").isFalse();
  }

  @Test
  void anotherOriginOnlyWhenListed() {
    List<String> allowed = GatewayOptions.origins(" https://chat.example.com , https://m.example.com ,");
    assertThat(allowed).containsExactly("https://chat.example.com", "https://m.example.com");
    assertThat(WebServer.originAllowed("https://m.example.com", "10.0.0.5:8080", false, allowed)).isTrue();
    assertThat(WebServer.originAllowed("https://evil.example.com", "10.0.0.5:8080", false, allowed)).isFalse();
    assertThat(WebServer.originAllowed("null", "10.0.0.5:8080", false, allowed)).as("a sandboxed or file page").isFalse();
  }

  @Test
  void aClientWithoutOriginIsNotABrowserAndIsAllowed() {
    assertThat(WebServer.originAllowed(null, "chat.local", false, List.of())).isTrue();
    assertThat(WebServer.originAllowed("http://chat.local", null, false, List.of())).as("no Host to compare with").isFalse();
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
