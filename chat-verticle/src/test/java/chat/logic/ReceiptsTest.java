package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
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
  JsonObject dbAnswer;
  Receipts receipts;
  Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>consumer(Addresses.DB_READ, m -> m.reply(dbAnswer));
    Notice.listen(vertx, notices::add);
    Presence presence = new Presence();
    presence.claim(OTHER, Addresses.session("gw1", 5));
    presence.claim(3, Addresses.session("gw1", 6));
    receipts = new Receipts(new Db(vertx.eventBus()), new Router(presence, vertx.eventBus()));
  }

  private static JsonObject read(JsonObject with) {
    return new JsonObject().put("userId", ME).put("with", with).put("upto", 50L);
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
    dbAnswer = new JsonObject().put("upto", 42L).put("moved", true);
    receipts.read(read(new JsonObject().put("user", OTHER))).onComplete(ctx.succeeding(r -> after(ctx, () -> {
      assertThat(notices).hasSize(1);
      assertThat(notices.get(0).push()).isEqualTo(new Receipt(Receipt.Kind.READ, ME, 42));
    })));
  }

  @Test
  void aReadThatMovedNothingOrAGroupReadIsNotPushed(VertxTestContext ctx) {
    dbAnswer = new JsonObject().put("upto", 42L).put("moved", false);
    receipts.read(read(new JsonObject().put("user", OTHER)))
        .compose(r -> {
          dbAnswer = new JsonObject().put("upto", 42L).put("moved", true);
          return receipts.read(read(new JsonObject().put("group", 9)));
        })
        .onComplete(ctx.succeeding(r -> after(ctx, () -> assertThat(notices).isEmpty())));
  }

  @Test
  void deliveredGoesToEachSender(VertxTestContext ctx) {
    receipts.delivered(new JsonObject().put("by", ME).put("receipts",
        new JsonArray().add(new JsonArray().add(OTHER).add(10L)).add(new JsonArray().add(3).add(11L))));
    after(ctx, () -> assertThat(notices).extracting(Notice::push)
        .containsExactlyInAnyOrder(new Receipt(Receipt.Kind.DELIVERED, ME, 10), new Receipt(Receipt.Kind.DELIVERED, ME, 11)));
  }
}
