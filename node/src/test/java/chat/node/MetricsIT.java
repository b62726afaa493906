package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After traffic (classic and v2 logins, 1:1 and group messages, an inbox caught up page by page,
 * a client that does not read, a sender over its message rate and, with Redis, a message across
 * nodes) /metrics on the management port has a non-zero value in every family the operations
 * issue names, and every series the shipped dashboard and alerts use.
 */
class MetricsIT {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsIT.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static TestRedis redis;
  static TestNode n1;
  static TestNode n2;

  @BeforeAll
  static void start() throws Exception {
    JsonObject settings = new JsonObject()
        .put("CHAT_OFFLINE_PAGE", 2) // an offline backlog of 5 is read in pages after the login
        .put("CHAT_MESSAGE_RATE", 50).put("CHAT_MESSAGE_BURST", 2500) // the flooder's 2,700 overrun it
        .put("CHAT_STRANGER_BACKLOG", 100_000) // the slow consumer gets 2,000 messages from a stranger
        .put("CHAT_OUTBOUND_BYTES", 64 * 1024);
    if (TestRedis.available()) {
      redis = new TestRedis();
      settings.put("CHAT_REDIS_URL", redis.url());
    }
    n1 = TestNode.start(settings.copy().put("CHAT_NODE_ID", "metrics-1"));
    if (redis != null) {
      n2 = TestNode.start(settings.copy().put("CHAT_NODE_ID", "metrics-2"));
      Health.awaitRedis(n1, "up");
      Health.awaitRedis(n2, "up");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.closeAll(n1, n2);
    if (redis != null) {
      redis.close();
    }
  }

  private static ClassicClient online(TestNode node, String prefix) throws Exception {
    ClassicClient c = node.connect().register(unique(prefix));
    c.loginOk();
    return c;
  }

  @Test
  void afterTrafficEveryFamilyHasAValue() throws Exception {
    try (ClassicClient a = online(n1, "ma"); ClassicClient b = online(n1, "mb"); ClassicClient c = online(n1, "mc");
        V2Client v = new V2Client(n1.port).hello().register(unique("mv"))) {
      v.login();
      for (int i = 0; i < 5; i++) {
        a.chat(b.id, "direct " + i);
      }
      for (int i = 0; i < 5; i++) {
        assertThat(b.next().getString("msg")).isEqualTo("direct " + i);
      }
      int group = Poll.createGroup(a, unique("mgrp"));
      Poll.joinGroup(b, group);
      Poll.joinGroup(c, group);
      a.groupChat(group, "to the group");
      offlineBacklogReadInPages(a);
      slowConsumerDropped();
      senderOverItsRate(b);
      System.gc(); // the GC binder names its pause timer at the first collection it is told of
      Poll.until("a GC pause timed", () -> sum(scrape(n1), "jvm_gc_pause_seconds_count") > 0);
      Map<String, Double> m1 = scrape(n1);
      Map<String, Double> m2 = n2 == null ? Map.of() : acrossNodes(a);

      Map<String, Double> merged = new LinkedHashMap<>(m1);
      m2.forEach((k, val) -> merged.merge(k, val, Double::sum));
      List<String[]> required = new ArrayList<>(List.of(
          new String[] {"chat_connections", "protocol=\"classic\""}, new String[] {"chat_connections", "protocol=\"v2\""},
          new String[] {"chat_logins_total"},
          new String[] {"chat_messages_stored_total", "kind=\"direct\""}, new String[] {"chat_messages_stored_total", "kind=\"group\""},
          new String[] {"chat_messages_delivered_total"},
          new String[] {"chat_store_batch_size_count"}, new String[] {"chat_store_batch_size_bucket", "le=\"+Inf\""},
          new String[] {"chat_store_commit_seconds_count"}, new String[] {"chat_store_commit_seconds_bucket", "le=\"+Inf\""},
          new String[] {"chat_send_to_deliver_seconds_count"}, new String[] {"chat_group_fanout_seconds_count"},
          new String[] {"chat_inbox_catchup_total"}, new String[] {"chat_outbound_dropped_total"},
          new String[] {"chat_limit_refusals_total", "limit=\"message_rate\""},
          new String[] {"chat_db_pool_wait_seconds_count"}, new String[] {"chat_event_loop_lag_seconds_count"},
          new String[] {"jvm_memory_used_bytes", "area=\"heap\""}, new String[] {"jvm_threads_live_threads"},
          new String[] {"jvm_gc_pause_seconds_count"}, new String[] {"system_cpu_count"},
          new String[] {"vertx_eventbus_processed_total"}));
      if (n2 != null) {
        required.add(new String[] {"chat_pubsub_lag_seconds_count"});
      }
      for (String[] family : required) {
        assertThat(sum(merged, family)).as("%s after traffic", String.join(" ", family)).isPositive();
      }

      List<String> expressions = new ArrayList<>(MonitoringFiles.dashboardExpressions());
      MonitoringFiles.alerts().forEach(al -> expressions.add(al[1]));
      Set<String> exported = new TreeSet<>();
      merged.keySet().forEach(k -> exported.add(name(k)));
      assertThat(exported).containsAll(MonitoringFiles.names(expressions));
      excerpt("node 1", m1);
      excerpt("node 2", m2);
    }
  }

  /** Five messages to an offline user, who logs in with a page size of two: the rest comes from the inbox. */
  private void offlineBacklogReadInPages(ClassicClient sender) throws Exception {
    ClassicClient d = n1.connect().register(unique("md"));
    for (int i = 0; i < 5; i++) {
      sender.chat(d.id, "offline " + i);
    }
    Poll.until("stored", () -> Poll.number("SELECT COUNT(*) FROM messages WHERE to_id = ?", d.id) == 5);
    d.loginOk();
    List<String> rest = new ArrayList<>();
    Poll.until("the backlog after the first page", () -> {
      JsonObject f = d.poll(100);
      if (f != null && f.containsKey("msg")) {
        rest.add(f.getString("msg"));
      }
      return rest.size() == 3;
    });
    d.close();
  }

  /**
   * A client that stops reading after its login while 8 MB come its way is dropped at its
   * outbound budget (64 KiB here), once the kernel's buffers are full (several MB on loopback).
   */
  private void slowConsumerDropped() throws Exception {
    ClassicClient account = n1.connect().register(unique("slow"));
    account.close();
    try (RawClient slow = new RawClient(n1.port); ClassicClient sender = online(n1, "msend")) {
      slow.send(new JsonObject().put("msgid", 1).put("id", account.id).put("password", account.password).encode());
      List<JsonObject> ack = new ArrayList<>();
      Poll.until("the login ack", () -> ack.addAll(slow.read(100)) && ack.get(0).getInteger("errno") == 0);
      String pad = "z".repeat(4000);
      for (int i = 0; i < 2000; i++) {
        sender.chat(account.id, "m-" + i + "-" + pad);
      }
      Poll.until("the slow consumer dropped", () -> sum(scrape(n1), "chat_outbound_dropped_total") > 0);
    }
  }

  /** Past its burst (2,500 here), a sender's messages are refused by its message rate. */
  private void senderOverItsRate(ClassicClient target) throws Exception {
    try (ClassicClient flooder = online(n1, "mflood")) {
      for (int i = 0; i < 2700; i++) {
        flooder.chat(target.id, "flood " + i);
      }
      Poll.until("refused by the message rate", () -> sum(scrape(n1), "chat_limit_refusals_total", "limit=\"message_rate\"") > 0);
    }
  }

  /** A message to a user on the other node crosses Redis: the receiving node times the publish. */
  private Map<String, Double> acrossNodes(ClassicClient sender) throws Exception {
    try (ClassicClient x = online(n2, "mx")) {
      sender.chat(x.id, "across nodes");
      assertThat(x.next().getString("msg")).isEqualTo("across nodes");
      Poll.until("the pub/sub lag timed", () -> sum(scrape(n2), "chat_pubsub_lag_seconds_count") > 0);
      return scrape(n2);
    }
  }

  /** /metrics on the node's management port: each series (name and labels) and its value. */
  static Map<String, Double> scrape(TestNode node) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.node.managementPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int at = line.lastIndexOf(' ');
        series.put(line.substring(0, at), Double.parseDouble(line.substring(at + 1)));
      }
    }
    return series;
  }

  private static String name(String series) {
    int brace = series.indexOf('{');
    return brace < 0 ? series : series.substring(0, brace);
  }

  /** The sum of the series named {@code family[0]} whose labels include each of the rest. */
  static double sum(Map<String, Double> series, String... family) {
    double total = 0;
    for (Map.Entry<String, Double> e : series.entrySet()) {
      boolean match = name(e.getKey()).equals(family[0]);
      for (int i = 1; i < family.length && match; i++) {
        match = e.getKey().contains(family[i]);
      }
      if (match) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** What the report quotes: the chat families without their buckets. */
  private static void excerpt(String which, Map<String, Double> series) {
    StringBuilder out = new StringBuilder();
    series.forEach((k, val) -> {
      if (k.startsWith("chat_") && !k.contains("_bucket")) {
        out.append('\n').append(k).append(' ').append(val);
      }
    });
    LOG.info("/metrics of {} after traffic (chat_* without buckets):{}", which, out);
  }
}
