package chat.bench.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The relay's whole logic, apart from sockets: classic register and login always succeed (any
 * password; ids are handed out from memory), a chat (msgid 6) goes verbatim to the connection
 * logged in as its {@code toid}, and everything else is ignored. Nothing is stored: a chat to
 * someone not online is dropped and counted. This is the ceiling for a server that forwards
 * classic frames on this machine, with none of the work a real one does.
 */
public final class RelayRouter {
  /** Where frames for one connection go; must accept writes from any thread. */
  public interface Peer {
    void send(Buffer frame);
  }

  private final Map<Integer, Session> online = new ConcurrentHashMap<>();
  private final AtomicInteger lastId = new AtomicInteger();
  private final LongAdder forwarded = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  public Session open(Peer peer) {
    return new Session(peer);
  }

  public long forwarded() {
    return forwarded.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  public int online() {
    return online.size();
  }

  /** One connection. Its calls come from its own event loop, one at a time. */
  public final class Session {
    private final Peer peer;
    private int id;

    private Session(Peer peer) {
      this.peer = peer;
    }

    /** One frame, delimiter removed. */
    public void onFrame(Buffer frame) {
      JsonObject o;
      try {
        o = new JsonObject(frame);
      } catch (RuntimeException notJson) {
        return; // the classic server would die here; the ceiling just ignores it
      }
      switch (o.getInteger("msgid", 0)) {
        case 1 -> login(o.getInteger("id", 0));
        case 4 -> peer.send(reply(new JsonObject().put("msgid", 5).put("errno", 0).put("id", lastId.incrementAndGet())));
        case 6 -> forward(o.getInteger("toid", 0), frame);
        default -> { }
      }
    }

    public void close() {
      if (id != 0) {
        online.remove(id, this);
      }
    }

    private void login(int userId) {
      close();
      id = userId;
      online.put(userId, this); // a second login of one id takes over, as after a reconnect
      peer.send(reply(new JsonObject().put("msgid", 2).put("errno", 0).put("id", userId).put("name", "relay-" + userId)));
    }

    private void forward(int to, Buffer frame) {
      Session target = online.get(to);
      if (target == null) {
        dropped.increment();
        return;
      }
      forwarded.increment();
      target.peer.send(frame.copy().appendByte((byte) 0));
    }
  }

  private static Buffer reply(JsonObject o) {
    return o.toBuffer().appendByte((byte) 0);
  }
}
