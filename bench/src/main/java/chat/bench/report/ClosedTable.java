package chat.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The side-by-side table of the closed scenario: the runs of the latest series (one closed-loop.sh
 * run: relay, classic C++ server, this node, one after the other) merged by pair count. A peer
 * missing from the series (the classic server not built here) shows as "-".
 */
final class ClosedTable {
  static final List<String> PEERS = List.of("relay", "classic", "node");

  private ClosedTable() {}

  /** Empty when no closed run carries a series. {@code runs} are sorted by time. */
  static String markdown(List<JsonObject> runs) {
    String series = null;
    for (JsonObject r : runs) {
      String s = params(r).getString("series");
      if ("closed".equals(r.getString("scenario")) && s != null) {
        series = s;
      }
    }
    if (series == null) {
      return "";
    }
    Map<String, Map<Integer, JsonObject>> byPeer = new LinkedHashMap<>();
    TreeSet<Integer> pairs = new TreeSet<>();
    String when = null;
    for (JsonObject r : runs) {
      if (!"closed".equals(r.getString("scenario")) || !series.equals(params(r).getString("series"))) {
        continue;
      }
      when = when == null ? r.getString("timestamp") : when;
      Map<Integer, JsonObject> points = new LinkedHashMap<>();
      for (Object o : r.getJsonObject("figures", new JsonObject()).getJsonArray("points", new JsonArray())) {
        JsonObject p = (JsonObject) o;
        points.put(p.getInteger("pairs"), p);
        pairs.add(p.getInteger("pairs"));
      }
      byPeer.put(params(r).getString("peer", "node"), points); // a rerun of a peer in one series wins
    }
    StringBuilder md = new StringBuilder();
    String load = String.join(", ", loads(runs, series));
    md.append("Series `").append(series).append("` (").append(when).append("), ")
        .append(String.join(", ", seconds(runs, series))).append(". Each of N sender→recipient pairs keeps exactly one")
        .append(" 1:1 message in flight (send, wait until the recipient has it, send the next); msg/s delivered,")
        .append(" latency send→receive in ms. relay = `chat-bench relay` (in memory, stores nothing: the ceiling);")
        .append(" classic = fixbug666/chatserver on muduo (stores nothing for online recipients); node = this node,")
        .append(" embedded default, every message stored before delivery. Peers not run show as -.")
        .append(load.isEmpty() ? "" : " Load average (1 min) of the machine as each peer's run began: " + load + ".")
        .append("\n\n")
        .append("| pairs | relay | classic C++ | this node | node / classic | relay p50 | classic p50 | node p50")
        .append(" | relay p99 | classic p99 | node p99 |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int n : pairs) {
      List<JsonObject> row = new ArrayList<>();
      for (String peer : PEERS) {
        row.add(byPeer.getOrDefault(peer, Map.of()).get(n));
      }
      md.append("| ").append(n);
      for (JsonObject p : row) {
        md.append(" | ").append(p == null ? "-" : p.getValue("msgPerSec"));
      }
      md.append(" | ").append(ratio(row.get(2), row.get(1)));
      for (String key : List.of("p50Ms", "p99Ms")) {
        for (JsonObject p : row) {
          Object v = p == null ? null : p.getJsonObject("latency", new JsonObject()).getValue(key);
          md.append(" | ").append(v == null ? "-" : v);
        }
      }
      md.append(" |\n");
    }
    return md.toString();
  }

  static String ratio(JsonObject node, JsonObject classic) {
    if (node == null || classic == null || classic.getLong("msgPerSec", 0L) == 0) {
      return "-";
    }
    return String.format("%.2f", node.getLong("msgPerSec", 0L) / (double) classic.getLong("msgPerSec"));
  }

  private static List<String> seconds(List<JsonObject> runs, String series) {
    return runs.stream().filter(r -> series.equals(params(r).getString("series")))
        .map(r -> params(r).getValue("seconds") + " s per point after a warm-up of " + params(r).getValue("warmupSeconds")
            + " s (and " + params(r).getValue("initialWarmupSeconds", 0) + " s once per peer before the first point)")
        .distinct().toList();
  }

  private static List<String> loads(List<JsonObject> runs, String series) {
    return runs.stream().filter(r -> series.equals(params(r).getString("series")))
        .filter(r -> r.getJsonObject("machine", new JsonObject()).containsKey("loadAvg1"))
        .map(r -> params(r).getString("peer", "node") + " " + r.getJsonObject("machine").getValue("loadAvg1"))
        .toList();
  }

  private static JsonObject params(JsonObject r) {
    return r.getJsonObject("params", new JsonObject());
  }
}
