package chat.gateway;

import chat.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateways' meters (Prometheus names in the README): registered once per node, in the registry
 * the node hands over, and shared by all its gateway instances, so that recording is a field read
 * and an atomic add, never a lookup by name.
 */
public final class GatewayMetrics {
  /** A gateway that nobody scrapes (unit tests, embedding without a registry): meters that record nothing. */
  static final GatewayMetrics NONE = new GatewayMetrics(new CompositeMeterRegistry());

  /** From 1 ms to 10 s: what a chat message may take, from a LAN to a stalled database. */
  static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** The label {@code limit} of chat_limit_refusals_total, for the limits the gateway enforces. */
  enum Limit {
    CONNECTIONS_NODE, CONNECTIONS_ADDRESS, CONNECT_RATE, BANNED, REQUEST_RATE, MESSAGE_RATE, INBOUND_BYTES, LOGIN_RATE, LOGIN_QUEUE;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final AtomicLong classic = new AtomicLong();
  private final AtomicLong v2 = new AtomicLong();
  private final Counter logins;
  private final Counter delivered;
  private final Counter inboxCatchUp;
  private final Counter outboundDropped;
  private final Timer sendToDeliver;
  private final Timer groupFanout;
  private final Map<Limit, Counter> refusals = new EnumMap<>(Limit.class);
  private final SendStamps stamps = new SendStamps(SendStamps.DEFAULT_SLOTS);

  public GatewayMetrics(MeterRegistry registry) {
    Gauge.builder("chat.connections", classic, AtomicLong::get).description("Open connections that spoke a first frame")
        .tag("protocol", "classic").register(registry);
    Gauge.builder("chat.connections", v2, AtomicLong::get).description("Open connections that spoke a first frame")
        .tag("protocol", "v2").register(registry);
    logins = Counter.builder("chat.logins").description("Logins granted").register(registry);
    delivered = Counter.builder("chat.messages.delivered")
        .description("Messages written to a recipient's connection (live, login snapshot and inbox pages)").register(registry);
    inboxCatchUp = Counter.builder("chat.inbox.catchup")
        .description("Inbox pages read by a logged-in connection (backlog, a gap, a missed publish)").register(registry);
    outboundDropped = Counter.builder("chat.outbound.dropped")
        .description("Connections dropped for not reading what was written to them").register(registry);
    sendToDeliver = Timer.builder("chat.send.to.deliver")
        .description("From a send's arrival to its live write at a recipient's connection, in this JVM")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    groupFanout = Timer.builder("chat.group.fanout")
        .description("From a group message's arrival to its hand-off to every recipient's connection or route")
        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    for (Limit limit : Limit.values()) {
      refusals.put(limit, Counter.builder("chat.limit.refusals").description("Requests and connections refused by a limit")
          .tag("limit", limit.label()).register(registry));
    }
  }

  /** A connection spoke its first frame, which chose its protocol. */
  void opened(boolean isV2) {
    (isV2 ? v2 : classic).incrementAndGet();
  }

  /** A connection counted by {@link #opened} has ended. */
  void closed(boolean isV2) {
    (isV2 ? v2 : classic).decrementAndGet();
  }

  /** A login was granted; its reply carries {@code backlog} messages. */
  void loggedIn(int backlog) {
    logins.increment();
    delivered.increment(backlog);
  }

  /** A login was refused with {@code code}: a limit's refusal is counted as such. */
  void loginRefused(ErrorCode code) {
    if (code == ErrorCode.RATE_LIMITED) {
      refused(Limit.LOGIN_RATE);
    } else if (code == ErrorCode.OVERLOADED) {
      refused(Limit.LOGIN_QUEUE);
    }
  }

  /** The sender's gateway learnt the id of a message whose send arrived at {@code stampNanos}. */
  void sent(long messageId, long stampNanos) {
    stamps.put(messageId, stampNanos);
  }

  /** A group message was handed to all its recipients; its send arrived at {@code stampNanos}. */
  void fannedOut(long stampNanos) {
    groupFanout.record(System.nanoTime() - stampNanos, TimeUnit.NANOSECONDS);
  }

  /** Message {@code messageId} is being written to a recipient; {@code live} unless it is backlog. */
  void delivering(long messageId, boolean live) {
    delivered.increment();
    if (live) {
      long stamp = stamps.get(messageId);
      if (stamp != 0) {
        sendToDeliver.record(Math.max(0, System.nanoTime() - stamp), TimeUnit.NANOSECONDS);
      }
    }
  }

  void inboxPage() {
    inboxCatchUp.increment();
  }

  void outboundDropped() {
    outboundDropped.increment();
  }

  void refused(Limit limit) {
    refusals.get(limit).increment();
  }

  /** A connection refused at the door. */
  void refused(ConnectionGuard.Refusal refusal) {
    switch (refusal) {
      case NODE_FULL -> refused(Limit.CONNECTIONS_NODE);
      case ADDRESS_FULL -> refused(Limit.CONNECTIONS_ADDRESS);
      case TOO_FAST -> refused(Limit.CONNECT_RATE);
      case BANNED -> refused(Limit.BANNED);
      default -> { }
    }
  }
}
