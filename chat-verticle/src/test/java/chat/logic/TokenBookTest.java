package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.TokenKey;
import chat.protocol.bus.TokenRow;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TokenBook against a stub persistence that keeps the revocation rows and the key in memory. */
@ExtendWith(VertxExtension.class)
class TokenBookTest {
  final AtomicLong now = new AtomicLong(1_000_000);
  final Map<String, Boolean> revoked = new HashMap<>();
  final AtomicInteger keyReads = new AtomicInteger();
  String storedKey;
  Db db;

  @BeforeEach
  void setUp(Vertx vertx) {
    BusCodec.register(vertx);
    vertx.eventBus().<Object>consumer(Addresses.STORE, m -> {
      if (m.body() instanceof TokenKey k) {
        keyReads.incrementAndGet();
        if (storedKey == null) {
          storedKey = k.candidate();
        }
        m.reply(new TokenKey.Key(storedKey));
        return;
      }
      TokenRow row = (TokenRow) m.body();
      switch (row.kind()) {
        case ADD -> {
          revoked.put(row.tokenId(), false);
          m.reply(new TokenRow.Result(null));
        }
        case CHECK -> Replies.reply(m, Boolean.FALSE.equals(revoked.get(row.tokenId()))
            ? Future.succeededFuture(new TokenRow.Result("u" + row.user()))
            : Replies.refuse(ErrorCode.BAD_CREDENTIALS, "token is invalid"));
        case REVOKE -> {
          revoked.put(row.tokenId(), true);
          m.reply(new TokenRow.Result(null));
        }
      }
    });
    db = new Db(vertx.eventBus());
  }

  TokenBook book() {
    return new TokenBook(db, null, 60_000, now::get);
  }

  @Test
  void issuedTokensCheckUntilRevokedAndEveryBookSharesTheStoredKey(VertxTestContext ctx) {
    TokenBook one = book();
    TokenBook other = book();
    one.issue(5)
        .compose(issued -> {
          assertThat(issued.expires()).isEqualTo("1970-01-01T00:17:40Z");
          String token = issued.token();
          return other.check(token, 5)
              .compose(checked -> {
                assertThat(checked.name()).isEqualTo("u5");
                assertThat(checked.token()).isEqualTo(token);
                return other.check(token, 6).transform(ar -> {
                  assertThat(Replies.codeOf(ar.cause())).as("another user's id").isEqualTo(ErrorCode.BAD_CREDENTIALS);
                  return one.revoke(token);
                });
              })
              .compose(v -> one.check(token, 5).transform(ar -> {
                assertThat(Replies.codeOf(ar.cause())).as("revoked").isEqualTo(ErrorCode.BAD_CREDENTIALS);
                return Future.succeededFuture();
              }))
              .compose(v -> one.issue(5))
              .compose(second -> {
                now.addAndGet(60_000);
                return one.check(second.token(), 5).transform(ar -> {
                  assertThat(Replies.codeOf(ar.cause())).as("expired").isEqualTo(ErrorCode.BAD_CREDENTIALS);
                  return Future.succeededFuture();
                });
              });
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(keyReads.get()).as("each book reads the key once").isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void aConfiguredKeyNeedsNoDatabase(VertxTestContext ctx) {
    TokenBook book = new TokenBook(db, Tokens.newKey(), 60_000, now::get);
    book.issue(1).compose(t -> book.check(t.token(), 1))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(keyReads.get()).isZero();
          ctx.completeNow();
        })));
  }
}
