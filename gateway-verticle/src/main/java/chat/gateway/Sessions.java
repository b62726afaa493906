package chat.gateway;

import chat.protocol.Delivery;
import chat.protocol.DeliveryBatch;
import chat.protocol.bus.Push;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The connections of one gateway instance; touched only from its event loop. */
final class Sessions implements MessageSend.Recipients {
  private final Set<Session> all = new HashSet<>();
  /** Logins by session name: where a {@link DeliveryBatch} finds its recipients. */
  private final Map<String, Session> logins = new HashMap<>();
  /** The granted logins by user: where a sender's gateway finds the recipients it holds itself. */
  private final Map<Integer, Session> byUser = new HashMap<>();
  private final NodeLogins node;
  private final Watermarks watermarks;
  private final ClassicRenderer renderer = new ClassicRenderer();
  private final GatewayMetrics metrics;
  private final ClassicResends resends;

  /** With a memory of classic resends of its own, at the default bounds (tests). */
  Sessions(Watermarks.Store store, Watermarks.Timers timers, NodeLogins node, GatewayMetrics metrics) {
    this(store, timers, node, metrics, new ClassicResends(GatewayOptions.defaults().classicResendEntries(),
        GatewayOptions.defaults().classicResendMs()));
  }

  /** Moved watermarks are saved to {@code store}; a session that left is not retried. */
  Sessions(Watermarks.Store store, Watermarks.Timers timers, NodeLogins node, GatewayMetrics metrics, ClassicResends resends) {
    this.resends = resends;
    this.node = node;
    this.metrics = metrics;
    this.watermarks = new Watermarks(store, timers, System::currentTimeMillis, s -> s instanceof Session x && all.contains(x));
  }

  Watermarks watermarks() {
    return watermarks;
  }

  private long infoSecond;
  private int infoLines;

  /**
   * Whether a line about a refused request may go to INFO: at most 20 a second per gateway, so
   * that the log says why requests were refused without one line per message of a flood.
   */
  boolean mayLogRefusal() {
    long second = System.currentTimeMillis() / 1000;
    if (second != infoSecond) {
      infoSecond = second;
      infoLines = 0;
    }
    return ++infoLines <= 20;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  /** The node's implicit cmids of classic sends. */
  ClassicResends resends() {
    return resends;
  }

  /** The gateway's one renderer: a fan-out to its sessions renders each message once. */
  ClassicRenderer renderer() {
    return renderer;
  }

  void add(Session s) {
    all.add(s);
  }

  /** A session signed off; one that spoke {@code spoken} leaves chat_connections (once, however often it is told). */
  void remove(Session s, Protocol spoken) {
    if (all.remove(s) && spoken != null) {
      metrics.closed(spoken.acknowledges());
    }
    watermarks.forget(s);
  }

  void bind(String session, Session s) {
    logins.put(session, s);
  }

  /**
   * A login chat has granted: from now on senders in this JVM hand it their messages themselves.
   * Not at {@link #bind}: a login that chat refuses (a wrong password, an account in use) must
   * never divert the deliveries of the one that holds the account.
   */
  void granted(Session s, String session) {
    byUser.put(s.userId(), s);
    node.put(s.userId(), session);
  }

  void unbind(String session) {
    Session s = logins.remove(session);
    if (s != null) {
      byUser.remove(s.userId(), s);
      node.remove(s.userId(), session);
    }
  }

  @Override
  public Consumer<Delivery> here(int user) {
    Session s = byUser.get(user);
    return s == null ? null : s::accept;
  }

  @Override
  public String inThisJvm(int user) {
    return node.sessionOf(user);
  }

  /** Hands each recipient its delivery; logins that ended meanwhile are skipped (the inbox has it). */
  void deliver(DeliveryBatch batch) {
    for (int i = 0; i < batch.sessions().length; i++) {
      Session s = logins.get(batch.sessions()[i]);
      if (s != null) {
        s.accept(new Delivery(batch.seqs()[i], batch.message()));
      }
    }
  }

  /** An ephemeral notice for one login; dropped if it ended meanwhile (the notice is at most once). */
  void notice(String session, Push event) {
    Session s = logins.get(session);
    if (s != null) {
      s.notice(event);
    }
  }

  /** The session's delivery watermark moved and should be saved soon. */
  void dirty(Session s) {
    watermarks.moved(s);
  }

  List<Session> online() {
    return all.stream().filter(Session::online).toList();
  }

  List<Session> snapshot() {
    return new ArrayList<>(all);
  }

  int size() {
    return all.size();
  }
}
