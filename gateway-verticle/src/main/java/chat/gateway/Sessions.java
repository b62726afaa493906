package chat.gateway;

import chat.protocol.Delivery;
import chat.protocol.DeliveryBatch;
import chat.protocol.bus.MarkDelivered;
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
  private final Set<Session> dirty = new HashSet<>();
  /** Logins by session name: where a {@link DeliveryBatch} finds its recipients. */
  private final Map<String, Session> logins = new HashMap<>();
  /** The same logins by user: where a sender's gateway finds the recipients it holds itself. */
  private final Map<Integer, Session> byUser = new HashMap<>();
  private final Runnable onDirty;
  private final NodeLogins node;
  private final ClassicRenderer renderer = new ClassicRenderer();

  /** {@code onDirty} runs when a watermark moves while none was waiting to be saved. */
  Sessions(Runnable onDirty, NodeLogins node) {
    this.onDirty = onDirty;
    this.node = node;
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

  /** The gateway's one renderer: a fan-out to its sessions renders each message once. */
  ClassicRenderer renderer() {
    return renderer;
  }

  void add(Session s) {
    all.add(s);
  }

  void remove(Session s) {
    all.remove(s);
    dirty.remove(s);
  }

  void bind(String session, Session s) {
    logins.put(session, s);
  }

  /**
   * A login chat has granted: from now on senders on this gateway hand it their messages
   * themselves. Not at {@link #bind}: a login that chat refuses (a wrong password, an account in
   * use) must never divert the deliveries of the one that holds the account.
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

  /** The session's delivery watermark moved and should be saved at the next flush. */
  void dirty(Session s) {
    if (dirty.add(s) && dirty.size() == 1) {
      onDirty.run();
    }
  }

  boolean hasDirty() {
    return !dirty.isEmpty();
  }

  /** Marks to save and the sessions they came from. */
  record Marks(List<MarkDelivered.Mark> marks, List<Session> from) {}

  /** The marks of every session whose watermark moved, clearing the dirty set. */
  Marks takeMarks() {
    List<MarkDelivered.Mark> marks = new ArrayList<>();
    List<Session> from = new ArrayList<>();
    for (Session s : dirty) {
      MarkDelivered.Mark mark = s.takeMark();
      if (mark != null) {
        marks.add(mark);
        from.add(s);
      }
    }
    dirty.clear();
    return new Marks(marks, from);
  }

  /** A save failed: these sessions report again, at the next periodic save (not at once: no hot retry loop). */
  void retryLater(List<Session> from) {
    for (Session s : from) {
      s.unreport();
      if (all.contains(s)) {
        dirty.add(s);
      }
    }
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
