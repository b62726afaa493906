package chat.gateway;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Peer;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Implicit cmids for classic sends. Classic has no cmid and no frame for "outcome unknown", yet
 * its user may resend a message whose commit the database did not confirm in time. So every
 * classic send gets a fresh cmid, which lets the store deduplicate a resend as it does a v2 one,
 * and the cmid of a send whose outcome was unknown is remembered by (sender, recipient, digest
 * of the text) and given to the next identical send, which the store then answers with the
 * original: stored once, delivered once. Bounded by count (CHAT_CLASSIC_RESEND_ENTRIES, oldest
 * forgotten first) and age (CHAT_CLASSIC_RESEND_MS: the same text sent again later is a new
 * message). One per node, shared by its gateway instances (a client that reconnects lands on any
 * of them): synchronized, each call brief.
 */
final class ClassicResends implements Shareable {
  record Key(int sender, Peer to, String digest) {}

  private record Entry(String cmid, long at) {}

  /** A classic send under way and the cmid it goes with. */
  record Send(int sender, Peer to, String text, String cmid) {
    Key key() {
      return new Key(sender, to, digest(text));
    }
  }

  private final int maxEntries;
  private final long maxAgeMs;
  /** In order of when each became unknown (a refreshed one moves to the end), so the eldest expires first. */
  private final LinkedHashMap<Key, Entry> unknown = new LinkedHashMap<>();

  ClassicResends(int maxEntries, long maxAgeMs) {
    this.maxEntries = maxEntries;
    this.maxAgeMs = maxAgeMs;
  }

  /** The node's one memory, made by the first gateway instance that asks. */
  static ClassicResends of(Vertx vertx, int maxEntries, long maxAgeMs) {
    ClassicResends fresh = new ClassicResends(maxEntries, maxAgeMs);
    ClassicResends first = vertx.sharedData().<String, ClassicResends>getLocalMap("chat.gateway.resends").putIfAbsent("memory", fresh);
    return first != null ? first : fresh;
  }

  /**
   * A send from {@code sender}: the cmid of an identical send whose outcome is unknown, or a new
   * one. The text's digest is taken only when some outcome is unknown, and outside the lock: on
   * the hot path the memory is nearly always empty.
   */
  Send begin(int sender, Peer to, String text, long now) {
    String known = isEmpty(now) ? null : cmidOf(new Send(sender, to, text, null).key());
    return new Send(sender, to, text, known != null ? known : fresh());
  }

  /**
   * The store answered {@code send} ({@code failure} null: stored). An unknown outcome is
   * remembered and true returned (the client gets no frame); any other outcome settles the send.
   */
  boolean answered(Send send, Throwable failure, long now) {
    boolean unknown = failure != null && Replies.codeOf(failure) == ErrorCode.OUTCOME_UNKNOWN;
    answered(send, unknown, now);
    return unknown;
  }

  void answered(Send send, boolean outcomeUnknown, long now) {
    if (outcomeUnknown || !isEmpty(now)) {
      settle(send.key(), send.cmid(), outcomeUnknown, now);
    }
  }

  private synchronized boolean isEmpty(long now) {
    expire(now);
    return unknown.isEmpty();
  }

  private synchronized String cmidOf(Key key) {
    Entry e = unknown.get(key);
    return e == null ? null : e.cmid();
  }

  private synchronized void settle(Key key, String cmid, boolean outcomeUnknown, long now) {
    Entry e = unknown.remove(key);
    if (outcomeUnknown) {
      unknown.put(key, new Entry(cmid, now));
      while (unknown.size() > maxEntries) {
        unknown.remove(unknown.keySet().iterator().next());
      }
    } else if (e != null && !e.cmid().equals(cmid)) {
      unknown.put(key, e); // another send of the same text settled (it went before the unknown one was known)
    }
  }

  synchronized int size() {
    return unknown.size();
  }

  private void expire(long now) {
    Iterator<Map.Entry<Key, Entry>> it = unknown.entrySet().iterator();
    while (it.hasNext() && it.next().getValue().at() + maxAgeMs <= now) {
      it.remove();
    }
  }

  /** Random, so that no one can guess it and make a real message of the sender's look like a resend. */
  private static String fresh() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "classic-" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
  }

  private static String digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
