package chat.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the shipped Grafana dashboard and Prometheus alert rules ask of a node's /metrics. */
final class MonitoringFiles {
  static final Path DASHBOARD = Path.of("../deploy/grafana/chat-dashboard.json");
  static final Path ALERTS = Path.of("../deploy/prometheus/alerts.yml");
  static final Path SCRAPE_CONFIG = Path.of("../deploy/prometheus/prometheus.yml");
  /** Series names of the node's own families: chat's, and the JVM binders'. */
  private static final Pattern NAME = Pattern.compile("\\b((?:chat|jvm|process|system)_[a-z0-9_]+)\\b");
  private static final Pattern ALERT = Pattern.compile("^\\s*- alert:\\s*(\\S+)\\s*$");
  private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*(.+)$");

  private MonitoringFiles() {}

  /** Every PromQL expression of the dashboard: its panels' queries and its variables'. */
  static List<String> dashboardExpressions() throws IOException {
    List<String> out = new ArrayList<>();
    collect(new JsonObject(Files.readString(DASHBOARD)), out);
    return out;
  }

  private static void collect(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (("expr".equals(key) || "definition".equals(key)) && v instanceof String s) {
          out.add(s);
        } else {
          collect(v, out);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collect(v, out));
    }
  }

  /** The alerts of the rule file, by name, each with its one-line expression. */
  static List<String[]> alerts() throws IOException {
    List<String[]> out = new ArrayList<>();
    String alert = null;
    for (String line : Files.readAllLines(ALERTS)) {
      Matcher a = ALERT.matcher(line);
      Matcher e = EXPR.matcher(line);
      if (a.matches()) {
        alert = a.group(1);
      } else if (e.matches() && alert != null) {
        out.add(new String[] {alert, e.group(1).trim()});
        alert = null;
      }
    }
    return out;
  }

  /** The node's series names that {@code expressions} use. */
  static Set<String> names(List<String> expressions) {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions) {
      Matcher m = NAME.matcher(expr);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The series names of a Prometheus text exposition. */
  static Set<String> exported(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int end = line.indexOf('{');
        names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
      }
    }
    return names;
  }
}
