package chat.logic;

import chat.protocol.bus.Audience;
import chat.protocol.bus.Done;
import chat.protocol.bus.Peer;
import chat.protocol.bus.TypingNotice;
import chat.protocol.bus.TypingSignal;

import chat.protocol.ErrorCode;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Typing notices (docs/protocol.md section 5). Never
 * stored, pushed at most once. Best effort, so two shortcuts are taken on purpose: who may be
 * told (not blocked by the other user; a member of the group, and its members) is cached for
 * {@link #CHECK_TTL_MS}, so a block or a leave can take that long to silence typing; and a
 * notice within {@link #INTERVAL_MS} of the last one pushed for the same conversation is
 * answered {} and dropped rather than refused, because a client that types fast has done
 * nothing wrong and could do nothing useful with an error. Typing to a user who has not added the
 * sender counts against the sender's limit ({@link SpamLimits}) once per check of the audience,
 * so a conversation costs one per {@link #CHECK_TTL_MS} it goes on, and 60 strangers cost 60;
 * past the limit, RATE_LIMITED.
 */
final class Typing {
  static final long INTERVAL_MS = 1000;
  static final long CHECK_TTL_MS = 10_000;
  static final int MAX_FANOUT = 500;
  // both keyed by (sender, conversation), which clients choose: bounded
  private static final int MAX_PUSH_MARKS = 100_000;
  private static final int MAX_CACHED_CHECKS = 4096;

  /** Who hears a sender in a conversation, or why nobody may; until {@code expires}. */
  private record Hearers(int[] users, boolean stranger, ProtocolException refusal, long expires) {}

  private final Db db;
  private final Router router;
  private final LongSupplier clock;
  private final int maxFanout;
  private final SpamLimits limits;
  private final BoundedMap<String, Long> lastPushed = new BoundedMap<>(MAX_PUSH_MARKS);
  private final BoundedMap<String, Hearers> audiences = new BoundedMap<>(MAX_CACHED_CHECKS);

  Typing(Db db, Router router, LongSupplier clock, int maxFanout, SpamLimits limits) {
    this.limits = limits;
    this.db = db;
    this.router = router;
    this.clock = clock;
    this.maxFanout = maxFanout;
  }

  Future<Done> typing(TypingSignal req) {
    int me = req.user();
    Peer with = req.with();
    if (!with.isGroup() && with.user() == me) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "that is yourself");
    }
    String key = (with.isGroup() ? "g" : "u") + with.id() + ":" + me;
    // the receiver's view of the conversation: a 1:1 notice names the sender's conversation
    TypingNotice event = new TypingNotice(me, with.isGroup() ? with : Peer.user(me));
    return hearers(key, me, with).compose(a -> {
      if (a.refusal() != null) {
        return Future.failedFuture(a.refusal());
      }
      long now = clock.getAsLong();
      Long last = lastPushed.get(key);
      if (last == null || now - last >= INTERVAL_MS) {
        lastPushed.put(key, now);
        List<Integer> to = new ArrayList<>(a.users().length);
        for (int u : a.users()) {
          to.add(u);
        }
        router.notifyAll(to, event);
      }
      return Future.succeededFuture(Done.DONE);
    });
  }

  private Future<Hearers> hearers(String key, int me, Peer with) {
    Hearers cached = audiences.get(key);
    long now = clock.getAsLong();
    if (cached != null && cached.expires() > now) {
      return Future.succeededFuture(cached);
    }
    return db.ask(new Audience(me, with, maxFanout))
        .map(r -> new Hearers(r.ids().stream().mapToInt(Integer::intValue).toArray(), r.stranger(), null, now + CHECK_TTL_MS))
        // refusals are cached like answers; outages are not, so typing resumes when the store does
        .recover(e -> {
          ErrorCode code = Replies.codeOf(e);
          return code == ErrorCode.FORBIDDEN || code == ErrorCode.NOT_FOUND
              ? Future.succeededFuture(new Hearers(null, false, new ProtocolException(code, e.getMessage()), now + CHECK_TTL_MS))
              : Future.failedFuture(e);
        })
        // a refusal for the limit is not cached: the conversation is counted when it is allowed
        .compose(a -> a.stranger() && !limits.typingToStranger(me)
            ? Future.<Hearers>failedFuture(new ProtocolException(ErrorCode.RATE_LIMITED, "typing to too many people who have not added you"))
            : Future.succeededFuture(a))
        .onSuccess(a -> audiences.put(key, a));
  }
}
