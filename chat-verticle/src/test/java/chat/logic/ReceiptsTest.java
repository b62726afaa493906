package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.Received;
import chat.protocol.bus.Peer;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.Receipt;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Receipts against a stub persistence: only a 1:1 read that moved the cursor is pushed; delivered ones go to each sender. */
@ExtendWith(VertxExtension.class)
class ReceiptsTest {
  static final int ME = 1;
  static final int OTHER = 2;

  final List<Notice> notices = new CopyOnWriteArrayList<>();
  volatile ReadUpTo.Moved dbAnswer;
  Receipts receipts;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    Notice.listen(vertx, notices::add);
    vertx.eventBus().<ReadUpTo>consumer(Addresses.STORE, m -> m.reply(dbAnswer));
    Presence presence = new Presence();
    presence.claim(OTHER, Addresses.session("gw1", 5));
    presence.claim(3, Addresses.session("gw1", 6));
    receipts = new Receipts(new Db(vertx.eventBus()), new Router(presence, vertx.eventBus()));
  }

  private static ReadUpTo read(Peer with) {
    return new ReadUpTo(ME, with, 50L);
  }

  /** Notices are sent, not requested: give them a moment, then look. */
  private void after(VertxTestContext ctx, Runnable check) {
    vertx.setTimer(200, id -> ctx.verify(() -> {
      check.run();
      ctx.completeNow();
    }));
  }

  @Test
  void aReadThatMovedIsPushedToTheOtherSide(VertxTestContext ctx) {
    dbAnswer = new ReadUpTo.Moved(42L, true);
    receipts.read(read(Peer.user(OTHER))).onComplete(ctx.succeeding(r -> after(ctx, () -> {
      assertThat(notices).hasSize(1);
      assertThat(notices.get(0).push()).isEqualTo(new Receipt(Receipt.Kind.READ, ME, 42));
    })));
  }

  @Test
  void aReadThatMovedNothingOrAGroupReadIsNotPushed(VertxTestContext ctx) {
    dbAnswer = new ReadUpTo.Moved(42L, false);
    receipts.read(read(Peer.user(OTHER)))
        .compose(r -> {
          dbAnswer = new ReadUpTo.Moved(42L, true);
          return receipts.read(read(Peer.group(9)));
        })
        .onComplete(ctx.succeeding(r -> after(ctx, () -> assertThat(notices).isEmpty())));
  }

  @Test
  void deliveredGoesToEachSender(VertxTestContext ctx) {
    receipts.delivered(new Received(ME, List.of(new Received.Covered(OTHER, 10L), new Received.Covered(3, 11L))));
    after(ctx, () -> assertThat(notices).extracting(Notice::push)
        .containsExactlyInAnyOrder(new Receipt(Receipt.Kind.DELIVERED, ME, 10), new Receipt(Receipt.Kind.DELIVERED, ME, 11)));
  }
}
