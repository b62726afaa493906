package chat.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Per-scenario wording of a result: one line for the runs table, a section for the latest run. */
final class Summaries {
  private Summaries() {}

  static String headline(JsonObject r) {
    JsonObject f = r.getJsonObject("figures", new JsonObject());
    switch (r.getString("scenario")) {
      case "register":
        return f.getValue("registrationsPerSec") + " registrations/s, " + f.getValue("loginsPerSec") + " logins/s"
            + " (concurrency " + r.getJsonObject("params", new JsonObject()).getValue("concurrency") + ", bcrypt cost "
            + r.getJsonArray("servers", new JsonArray()).stream().map(s -> ((JsonObject) s).getString("bcryptCost"))
                .findFirst().orElse("unknown: pass --server-pid") + ")";
      case "chat":
      case "cross": {
        List<String> parts = new ArrayList<>();
        JsonObject sat = f.getJsonObject("saturation");
        if (sat != null) {
          parts.add("saturation " + sat.getValue("deliveredPerSec") + " msg/s");
        }
        for (Object o : f.getJsonArray("rates", new JsonArray())) {
          JsonObject x = (JsonObject) o;
          JsonObject l = x.getJsonObject("latency", new JsonObject());
          parts.add(num(x.getValue("offeredPerSec")) + "/s: p99 " + l.getValue("p99Ms") + " ms");
        }
        return String.join("; ", parts);
      }
      case "group": {
        List<String> parts = new ArrayList<>();
        for (Object o : f.getJsonArray("groups", new JsonArray())) {
          JsonObject g = (JsonObject) o;
          for (Object p : g.getJsonArray("rates", new JsonArray())) {
            JsonObject x = (JsonObject) p;
            parts.add("size " + g.getValue("size") + ": " + x.getValue("deliveriesPerSec") + " deliveries/s, p99 "
                + x.getJsonObject("latency", new JsonObject()).getValue("p99Ms") + " ms");
          }
        }
        return String.join("; ", parts);
      }
      case "closed": {
        List<String> parts = new ArrayList<>();
        for (Object o : f.getJsonArray("points", new JsonArray())) {
          JsonObject x = (JsonObject) o;
          parts.add(x.getValue("pairs") + " pairs: " + x.getValue("msgPerSec") + " msg/s, p50 "
              + x.getJsonObject("latency", new JsonObject()).getValue("p50Ms") + " ms");
        }
        return String.join("; ", parts);
      }
      case "idle":
        return f.getValue("stillOpen") + " of " + f.getValue("requested") + " connections held"
            + (f.containsKey("rssBytesPerConnection")
                ? ", RSS " + f.getValue("rssBytesPerConnection") + " B/conn, heap " + f.getValue("heapBytesPerConnection") + " B/conn"
                : "");
      default:
        return f.encode();
    }
  }

  /** The scenario, the peer of a closed run, and the protocol when it is not classic: "chat v2", "closed relay". */
  static String label(JsonObject r) {
    JsonObject params = r.getJsonObject("params");
    String protocol = params == null ? null : params.getString("protocol");
    String scenario = r.getString("scenario");
    if ("closed".equals(scenario)) {
      scenario += " " + (params == null ? "node" : params.getString("peer", "node"));
    }
    return protocol == null || protocol.equals("classic") ? scenario : scenario + " " + protocol;
  }

  static String details(JsonObject r, Path imgDir) {
    JsonObject f = r.getJsonObject("figures", new JsonObject());
    String scenario = r.getString("scenario");
    StringBuilder md = new StringBuilder();
    if (scenario.equals("chat") || scenario.equals("cross")) {
      JsonObject sat = f.getJsonObject("saturation");
      if (sat != null) {
        JsonObject l = sat.getJsonObject("latency", new JsonObject());
        md.append("Saturation (closed loop, window ").append(sat.getValue("window")).append(" per sender, ")
            .append(sat.getValue("senders")).append(" senders): **").append(sat.getValue("deliveredPerSec"))
            .append(" msg/s** delivered; latency p50 ").append(l.getValue("p50Ms")).append(", p99 ")
            .append(l.getValue("p99Ms")).append(", max ").append(l.getValue("maxMs")).append(" ms.\n\n");
      }
      JsonArray rates = f.getJsonArray("rates", new JsonArray());
      if (!rates.isEmpty()) {
        md.append("| offered msg/s | sent | received | not delivered | p50 | p99 | p99.9 | max | max send lag |\n")
            .append("|---|---|---|---|---|---|---|---|---|\n");
        List<double[]> points = new ArrayList<>();
        for (Object o : rates) {
          JsonObject x = (JsonObject) o;
          JsonObject l = x.getJsonObject("latency", new JsonObject());
          md.append("| ").append(num(x.getValue("offeredPerSec"))).append(" | ").append(x.getValue("sent"))
              .append(" | ").append(x.getValue("received")).append(" | ").append(x.getValue("notDelivered"))
              .append(" | ").append(l.getValue("p50Ms")).append(" | ").append(l.getValue("p99Ms"))
              .append(" | ").append(l.getValue("p999Ms")).append(" | ").append(l.getValue("maxMs"))
              .append(" | ").append(x.getValue("maxSendLagMs")).append(" |\n");
          points.add(point(x.getDouble("offeredPerSec", 0.0), l));
        }
        String png = label(r).replace(' ', '-') + "-latency.png";
        Charts.latencyVsRate(label(r) + ": latency vs offered rate", "offered msg/s", points, imgDir.resolve(png));
        md.append("\n![").append(label(r)).append(" latency](img/").append(png).append(")\n");
      }
    } else if (scenario.equals("group")) {
      for (Object o : f.getJsonArray("groups", new JsonArray())) {
        JsonObject g = (JsonObject) o;
        md.append("| size | probe reached | offered deliveries/s | msg/s | deliveries/s | expected | delivered | p50 | p99 | p99.9 | max |\n")
            .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<double[]> points = new ArrayList<>();
        for (Object p : g.getJsonArray("rates", new JsonArray())) {
          JsonObject x = (JsonObject) p;
          JsonObject l = x.getJsonObject("latency", new JsonObject());
          md.append("| ").append(g.getValue("size")).append(" | ").append(g.getValue("probeReached"))
              .append(" | ").append(num(x.getValue("offeredDeliveriesPerSec"))).append(" | ")
              .append(String.format("%.1f", x.getDouble("msgPerSec", 0.0))).append(" | ")
              .append(x.getValue("deliveriesPerSec")).append(" | ").append(x.getValue("expectedDeliveries"))
              .append(" | ").append(x.getValue("deliveries")).append(" | ").append(l.getValue("p50Ms"))
              .append(" | ").append(l.getValue("p99Ms")).append(" | ").append(l.getValue("p999Ms"))
              .append(" | ").append(l.getValue("maxMs")).append(" |\n");
          points.add(point(x.getDouble("offeredDeliveriesPerSec", 0.0), l));
        }
        String png = "group-" + g.getValue("size") + "-latency.png";
        Charts.latencyVsRate("group of " + g.getValue("size") + ": latency vs offered deliveries/s",
            "offered deliveries/s", points, imgDir.resolve(png));
        md.append("\n![group ").append(g.getValue("size")).append("](img/").append(png).append(")\n\n");
      }
    } else if (scenario.equals("closed")) {
      md.append("| pairs | msg/s | sent | received | not delivered | refused | p50 | p90 | p99 | p99.9 | max |\n")
          .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Object o : f.getJsonArray("points", new JsonArray())) {
        JsonObject x = (JsonObject) o;
        JsonObject l = x.getJsonObject("latency", new JsonObject());
        md.append("| ").append(x.getValue("pairs")).append(" | ").append(x.getValue("msgPerSec"))
            .append(" | ").append(x.getValue("sent")).append(" | ").append(x.getValue("received"))
            .append(" | ").append(x.getValue("notDelivered")).append(" | ").append(x.getValue("refused"))
            .append(" | ").append(l.getValue("p50Ms")).append(" | ").append(l.getValue("p90Ms"))
            .append(" | ").append(l.getValue("p99Ms")).append(" | ").append(l.getValue("p999Ms"))
            .append(" | ").append(l.getValue("maxMs")).append(" |\n");
      }
    } else if (scenario.equals("idle")) {
      md.append("```json\n").append(f.encodePrettily()).append("\n```\n");
    } else if (scenario.equals("register")) {
      md.append("Registration latency: ").append(f.getJsonObject("registrationLatency", new JsonObject()).encode())
          .append("\n\nLogin latency: ").append(f.getJsonObject("loginLatency", new JsonObject()).encode()).append("\n");
    }
    return md.toString();
  }

  private static double[] point(double x, JsonObject l) {
    return new double[] {x, l.getDouble("p50Ms", 0.0), l.getDouble("p99Ms", 0.0), l.getDouble("p999Ms", 0.0)};
  }

  private static String num(Object v) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return String.valueOf(n.longValue());
    }
    return String.valueOf(v);
  }
}
