package chat.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BusCodecTest {
  private static final ChatMessage TO_GROUP =
      new ChatMessage(12, 7, "alice", null, 3, "你好 😀", LocalDateTime.of(2026, 11, 25, 23, 41, 0));
  private static final ChatMessage TO_USER =
      new ChatMessage(13, 7, "alice", 9, null, "\"quoted\"\n", LocalDateTime.of(2026, 11, 25, 23, 41, 7));

  private final BusCodec codec = new BusCodec();

  private Object overTheWire(Object record) {
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, record);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  void everyRecordSurvivesTheWireAsAClusteredBusSendsIt() {
    List<Object> records = List.of(
        new Profile("bob 你好"), new Profile.Found(4, "bob"),
        new EpochRead(), new EpochRead.Epoch("e-1"),
        new InboxPage(7, 0, 500), new InboxPage.Page(List.of(new Delivery(1, TO_GROUP), new Delivery(2, TO_USER)), 2, true, "e"),
        new HistoryPage(7, Peer.group(3), null, 50), new HistoryPage(7, Peer.user(9), 99L, 1),
        new HistoryPage.Page(List.of(TO_USER, TO_GROUP), false),
        new ConversationList(7), new ConversationList.Result(List.of(new Conversation(Peer.user(9), 13, 12, 1))),
        new LastSeqs(List.of(1, 2)), new LastSeqs.Result(Map.of(1, 5L, 2, 9_000_000_000L)),
        new MarkDelivered(List.of(new MarkDelivered.Mark(1, 5))), Done.DONE,
        new Login(7, "pw", null, "gateway.session.n1-ab.1", "127.0.0.1", 99L, true, true),
        new FriendEvent(FriendEvent.Kind.ACCEPTED, 4, "bob"), new PresenceChange(4, true), new TypingNotice(4, Peer.user(4)),
        new Receipt(Receipt.Kind.READ, 4, 12), new GroupChange(GroupChange.Kind.ROLE, 3, 4, chat.protocol.GroupRole.ADMIN),
        new GroupChange(GroupChange.Kind.LEFT, 3, 4, null));
    for (Object record : records) {
      assertThat(overTheWire(record)).as(record.getClass().getName()).isEqualTo(record);
    }
  }

  @Test
  void probesAndTheirReportsSurviveTheWireAndPassLocallyUncopied() {
    ChatStatus.Report report = new ChatStatus.Report("down", "late", 3, new ChatStatus.Hashes(1, 4, 64, 9_000_000_000L, 2, 5), 17);
    List<Object> records = List.of(new StorePing(), new CmidPurge(), new CmidPurge.Purged(500), new ChatStatus(), report);
    for (Object record : records) {
      assertThat(codec.knows(record)).as(record.getClass().getName()).isTrue();
      assertThat(overTheWire(record)).as(record.getClass().getName()).isEqualTo(record);
      assertThat(codec.transform(record)).isSameAs(record);
    }
  }

  @Test
  void aProbeUnderAnotherClassNameIsRefused() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new CmidPurge.Purged(3));
    String forged = wire.toString(StandardCharsets.UTF_8).replace("CmidPurge$Purged", "CmidPurge$Forged");
    assertThatThrownBy(() -> codec.decodeFromWire(0, Buffer.buffer(forged))).hasMessageContaining("not a bus record");
  }

  @Test
  void whatNodesPublishToEachOtherSurvivesRedisAsJsonThroughTheSameAllowList() {
    List<NodeLink> payloads = List.of(
        new RemoteDelivery(TO_GROUP, List.of(new RemoteDelivery.Target("gateway.session.n1-ab.1", 9_000_000_000L),
            new RemoteDelivery.Target("gateway.session.n1-cd.7", 1)), 1_700_000_000_000L),
        new RemoteDelivery(TO_USER, List.of(new RemoteDelivery.Target("gateway.session.n2-ab.3", 5)), 1L),
        new RemoteNotice(new GroupChange(GroupChange.Kind.ROLE, 3, 4, chat.protocol.GroupRole.OWNER), List.of("gateway.session.g.1"), 0L),
        new RemoteNotice(new GroupChange(GroupChange.Kind.LEFT, 3, 4, null), List.of("gateway.session.g.1", "gateway.session.h.2"), 0L),
        new RemoteNotice(new FriendEvent(FriendEvent.Kind.ACCEPTED, 4, "bob 你好"), List.of("gateway.session.g.1"), 0L),
        new RemoteNotice(new PresenceChange(4, true), List.of(), 0L),
        new RemoteNotice(new TypingNotice(4, Peer.group(3)), List.of("gateway.session.g.1"), 0L),
        new RemoteNotice(new Receipt(Receipt.Kind.READ, 4, 12), List.of("gateway.session.g.1"), 7L),
        new RoundTripPing(1_700_000_000_123L));
    for (NodeLink payload : payloads) {
      String text = BusCodec.toJson(payload);
      assertThat(BusCodec.fromJson(text, NodeLink.class)).as(text).isEqualTo(payload);
      assertThat(overTheWire(payload)).isEqualTo(payload);
    }
  }

  @Test
  void aPayloadFromANodeThatSendsNoPublishTimeReadsAsPublishedAtZero() {
    JsonObject text = new JsonObject(BusCodec.toJson(new RemoteNotice(new PresenceChange(4, true), List.of("s"), 5L)));
    assertThat(text.getJsonObject("record").remove("publishedAt")).isEqualTo(5);
    assertThat(BusCodec.fromJson(text.encode(), NodeLink.class).publishedAt()).isZero();
  }

  @Test
  void theTextNamesItsClassesAndNoMessageKeysOfTheWire() {
    JsonObject text = new JsonObject(BusCodec.toJson(
        new RemoteNotice(new PresenceChange(4, false), List.of("gateway.session.g.1"), 0L)));
    assertThat(text.getString("class")).isEqualTo(RemoteNotice.class.getName());
    assertThat(text.getJsonObject("record").getJsonObject("notice").getString("class")).isEqualTo(PresenceChange.class.getName());
    JsonObject delivery = new JsonObject(BusCodec.toJson(
        new RemoteDelivery(TO_USER, List.of(new RemoteDelivery.Target("gateway.session.g.1", 42)), 0L)));
    assertThat(delivery.getJsonObject("record").getJsonArray("targets").encode()).isEqualTo("[[\"gateway.session.g.1\",42]]");
  }

  @Test
  void aPayloadOfAnUnknownOrUnexpectedClassIsRefused() {
    String text = BusCodec.toJson(new RemoteNotice(new PresenceChange(4, true), List.of("gateway.session.g.1"), 0L));
    String foreign = new JsonObject(text).put("class", "java.util.ArrayList").encode();
    assertThatThrownBy(() -> BusCodec.fromJson(foreign, NodeLink.class)).hasMessageContaining("not a bus record");
    String notALink = BusCodec.toJson(new PresenceChange(4, true));
    assertThatThrownBy(() -> BusCodec.fromJson(notALink, NodeLink.class)).hasMessageContaining("not a bus record");
    assertThat(BusCodec.fromJson(notALink, Push.class)).isEqualTo(new PresenceChange(4, true));
  }

  @Test
  void aPushInsideAPayloadResolvesOnlyToARecordOfTheAllowList() {
    JsonObject text = new JsonObject(BusCodec.toJson(new RemoteNotice(new PresenceChange(4, true), List.of("s"), 0L)));
    text.getJsonObject("record").getJsonObject("notice").put("class", "java.util.ArrayList");
    assertThatThrownBy(() -> BusCodec.fromJson(text.encode(), NodeLink.class))
        .hasRootCauseInstanceOf(InvalidTypeIdException.class).hasMessageContaining("java.util.ArrayList");
    text.getJsonObject("record").getJsonObject("notice").put("class", Profile.class.getName());
    assertThatThrownBy(() -> BusCodec.fromJson(text.encode(), NodeLink.class))
        .hasRootCauseInstanceOf(InvalidTypeIdException.class).hasMessageContaining(Profile.class.getName());
  }

  @Test
  void neitherPasswordNorTokenIsPrinted() {
    assertThat(new Login(7, "s3cret-pw", null, "s", "ip", 1, false, false).toString()).doesNotContain("s3cret-pw");
    assertThat(new Login(7, null, "7.abc.tok", "s", "ip", 1, false, false).toString()).doesNotContain("7.abc.tok");
  }

  @Test
  void aLocalSendPassesTheRecordItself() {
    InboxPage.Page page = new InboxPage.Page(List.of(new Delivery(1, TO_GROUP)), 1, false, "e");
    assertThat(codec.transform(page)).isSameAs(page);
  }

  @Test
  void onlyRecordsOfTheSealedHierarchiesAreDecoded() {
    Buffer wire = Buffer.buffer();
    byte[] type = "java.util.ArrayList".getBytes();
    wire.appendInt(type.length).appendBytes(type).appendInt(2).appendString("[]");
    assertThatThrownBy(() -> codec.decodeFromWire(0, wire)).hasMessageContaining("not a bus record");
    assertThat(codec.knows(new JsonObject())).isFalse();
    assertThat(codec.knows(new Profile("x"))).isTrue();
  }

  @Test
  void theBusPicksTheCodecForEveryRecordAndPassesItLocallyUncopied() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      BusCodec.register(vertx);
      BusCodec.register(vertx); // a second verticle of the same instance
      InboxPage.Page page = new InboxPage.Page(List.of(new Delivery(1, TO_GROUP)), 1, false, "e");
      vertx.eventBus().<InboxPage>consumer(chat.protocol.Addresses.STORE, msg ->
          msg.reply(msg.body().handleWith(answering(page)).result()));
      Object reply = Store.ask(vertx.eventBus(), new InboxPage(7, 0, 10))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(reply).isSameAs(page);
    } finally {
      vertx.close().await();
    }
  }

  /** Answers inbox pages only: enough to see the request reach its own handler method. */
  private static StoreHandler answering(InboxPage.Page page) {
    return (StoreHandler) java.lang.reflect.Proxy.newProxyInstance(StoreHandler.class.getClassLoader(),
        new Class<?>[] {StoreHandler.class}, (proxy, method, args) -> {
          if (!method.getName().equals("inboxPage")) {
            throw new AssertionError(method.getName());
          }
          return Future.succeededFuture(page);
        });
  }
}
