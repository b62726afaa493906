package chat.logic;

import chat.protocol.ChatMessage;
import chat.protocol.bus.SendMessage;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.Future;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/** 1:1 and group chat: store first, then push to whoever is online. */
final class Messaging {
  /**
   * The event-bus send timeout is 30 s; a store request still queued after this is failed by
   * the store rather than written once nobody waits for its reply.
   */
  static final long STORE_DEADLINE_MS = 25_000;

  private final Db db;
  private final Router router;

  Messaging(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  /**
   * With a cmid, a resend gets the first send's messageId and stored time, duplicate true, and is
   * delivered to nobody. The store refuses a non-member's group message (FORBIDDEN) and validates
   * the cmid, so it is passed on as it came.
   */
  Future<SendMessage.Sent> send(SendMessage req) {
    LocalDateTime time = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    Integer to = req.to().isGroup() ? null : req.to().user();
    Integer group = req.to().group();
    StoreMessage store = new StoreMessage(req.from(), to, group, req.text(), time, req.cmid(),
        System.currentTimeMillis() + STORE_DEADLINE_MS);
    return db.store(store).map(stored -> {
      if (!stored.duplicate()) {
        router.deliver(stored.deliveries(), new ChatMessage(stored.messageId(), req.from(), req.fromName(), to, group, req.text(), time));
      }
      return new SendMessage.Sent(stored.messageId(), stored.time(), stored.duplicate());
    });
  }
}
