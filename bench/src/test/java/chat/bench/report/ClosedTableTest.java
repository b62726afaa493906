package chat.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosedTableTest {

  private static JsonObject run(String series, String peer, long... rates) {
    JsonArray points = new JsonArray();
    int[] pairs = {10, 50};
    for (int i = 0; i < rates.length; i++) {
      points.add(new JsonObject().put("pairs", pairs[i]).put("msgPerSec", rates[i])
          .put("latency", new JsonObject().put("p50Ms", 0.5 + i).put("p99Ms", 9.5 + i)));
    }
    return new JsonObject().put("scenario", "closed").put("timestamp", "2026-11-26T01:00:00Z")
        .put("params", new JsonObject().put("peer", peer).put("series", series).put("seconds", 10.0).put("warmupSeconds", 3.0))
        .put("figures", new JsonObject().put("points", points))
        .put("machine", new JsonObject().put("loadAvg1", 2.5));
  }

  @Test
  void mergesThePeersOfTheLatestSeriesByPairCount() {
    String md = ClosedTable.markdown(List.of(
        run("old", "node", 1, 1),
        run("s2", "relay", 9000, 8000),
        run("s2", "classic", 4000, 5000),
        run("s2", "node", 1000, 5000),
        new JsonObject().put("scenario", "chat").put("params", new JsonObject())));
    assertThat(md).contains("Series `s2`").contains("relay 2.5, classic 2.5, node 2.5.")
        .contains("| 10 | 9000 | 4000 | 1000 | 0.25 | 0.5 | 0.5 | 0.5 | 9.5 | 9.5 | 9.5 |")
        .contains("| 50 | 8000 | 5000 | 5000 | 1.00 | 1.5 | 1.5 | 1.5 | 10.5 | 10.5 | 10.5 |")
        .doesNotContain("| 1 | 1 |");
  }

  @Test
  void aPeerThatDidNotRunShowsAsADashAndSoDoesTheRatio() {
    String md = ClosedTable.markdown(List.of(run("s", "relay", 9000), run("s", "node", 1000)));
    assertThat(md).contains("| 10 | 9000 | - | 1000 | - | 0.5 | - | 0.5 | 9.5 | - | 9.5 |");
  }

  @Test
  void nothingWithoutASeries() {
    JsonObject r = run("x", "node", 1);
    r.getJsonObject("params").remove("series");
    assertThat(ClosedTable.markdown(List.of(r))).isEmpty();
  }
}
