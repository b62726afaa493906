package chat.node;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a node's detailed /health, on its management port (the HTTP port's tells the status only). */
final class Health {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Health() {}

  static JsonObject of(TestNode node) throws Exception {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node.managementPort() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).put("code", r.statusCode());
  }

  static void awaitRedis(TestNode node, String state) throws Exception {
    Poll.until("redis " + state, () -> state.equals(of(node).getString("redis")));
  }
}
