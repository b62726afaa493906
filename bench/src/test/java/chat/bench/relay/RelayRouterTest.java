package chat.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bench.protocol.ClassicProtocol;
import chat.bench.protocol.Event;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayRouterTest {
  private final ClassicProtocol classic = new ClassicProtocol();
  private final RelayRouter router = new RelayRouter();

  /** A connection whose outgoing frames are decoded as the bench would decode them. */
  private final class Conn {
    final List<Event> got = new ArrayList<>();
    final RelayRouter.Session session = router.open(frame -> classic.decoder(got::add).feed(frame));

    void send(Buffer request) {
      session.onFrame(request.getBuffer(0, request.length() - 1)); // without its NUL, as the splitter gives it
    }
  }

  @Test
  void registerHandsOutFreshIdsAndLoginAlwaysSucceeds() {
    Conn c = new Conn();
    c.send(classic.register("a", "pw"));
    c.send(classic.register("b", "pw"));
    c.send(classic.login(77, "anything"));
    assertThat(c.got).containsExactly(new Event.RegisterAck(true, 1), new Event.RegisterAck(true, 2),
        new Event.LoginAck(true, 0, 77, "relay-77", List.of(), 0));
    assertThat(router.online()).isEqualTo(1);
  }

  @Test
  void aChatGoesVerbatimToTheRecipientOnlyAndNothingElseIsAnswered() {
    Conn alice = new Conn();
    Conn bob = new Conn();
    Conn carol = new Conn();
    alice.send(classic.login(1, "pw"));
    bob.send(classic.login(2, "pw"));
    carol.send(classic.login(3, "pw"));
    alice.send(classic.addFriend(1, 2));
    alice.send(classic.send(1, "alice", 2, "hi bob"));
    assertThat(bob.got).last().isEqualTo(new Event.Incoming(1, 2, 0, "hi bob"));
    assertThat(alice.got).hasSize(1); // its login ack: no reply to chats or friend requests
    assertThat(carol.got).hasSize(1);
    assertThat(router.forwarded()).isEqualTo(1);
  }

  @Test
  void aClosedOrReplacedConnectionGetsNothingAndChatsToItAreDropped() {
    Conn alice = new Conn();
    Conn bob = new Conn();
    alice.send(classic.login(1, "pw"));
    bob.send(classic.login(2, "pw"));
    bob.session.close();
    alice.send(classic.send(1, "alice", 2, "gone"));
    assertThat(bob.got).hasSize(1);
    assertThat(router.dropped()).isEqualTo(1);

    Conn bobAgain = new Conn();
    bobAgain.send(classic.login(2, "pw"));
    Conn bobThird = new Conn();
    bobThird.send(classic.login(2, "pw"));
    bobAgain.session.close(); // the older connection closing must not sign out the newer one
    alice.send(classic.send(1, "alice", 2, "back"));
    assertThat(bobThird.got).last().isEqualTo(new Event.Incoming(1, 2, 0, "back"));
    assertThat(bobAgain.got).hasSize(1);
  }

  @Test
  void garbageIsIgnored() {
    Conn c = new Conn();
    c.session.onFrame(Buffer.buffer("not json"));
    c.session.onFrame(Buffer.buffer("{\"msgid\":6}"));
    assertThat(c.got).isEmpty();
    assertThat(router.dropped()).isEqualTo(1);
  }
}
