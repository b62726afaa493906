package chat.bench.net;

import chat.bench.protocol.ChatProtocol;
import chat.bench.protocol.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One simulated user on one connection. Login and register acks are matched to the request
 * that waits for them (one at a time per connection, so FIFO is exact); every other event goes
 * to {@link #onEvent}. All state is touched on the connection's own event loop.
 */
public final class BenchClient {
  private final NetSocket socket;
  private final Context context;
  private final ChatProtocol protocol;
  private final ArrayDeque<Promise<Event>> waiting = new ArrayDeque<>();
  private volatile Consumer<Event> onEvent = e -> {};
  private volatile boolean closed;
  public int id;
  public String name;
  public int index = -1;

  BenchClient(NetSocket socket, Context context, ChatProtocol protocol) {
    this.socket = socket;
    this.context = context;
    this.protocol = protocol;
    ChatProtocol.Decoder decoder = protocol.decoder(this::dispatch);
    socket.handler(
        chunk -> {
          try {
            decoder.feed(chunk);
          } catch (RuntimeException e) {
            socket.close();
          }
        });
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(e -> {}); // a reset shows up as a close; nothing to add
  }

  public Context context() {
    return context;
  }

  public boolean isClosed() {
    return closed;
  }

  public void onEvent(Consumer<Event> handler) {
    this.onEvent = handler;
  }

  public Future<Event.RegisterAck> register(String userName, String password) {
    return request(protocol.register(userName, password)).map(e -> (Event.RegisterAck) e);
  }

  public Future<Event.LoginAck> login(int userId, String password) {
    return request(protocol.login(userId, password)).map(e -> (Event.LoginAck) e);
  }

  public void send(int to, String text) {
    write(protocol.send(id, name, to, text));
  }

  public void groupSend(int group, String text) {
    write(protocol.groupSend(id, name, group, text));
  }

  public void addFriend(int friend) {
    write(protocol.addFriend(id, friend));
  }

  public void createGroup(String groupName, String description) {
    write(protocol.createGroup(id, groupName, description));
  }

  public void joinGroup(int group) {
    write(protocol.joinGroup(id, group));
  }

  /** Writes even when the socket's queue is full: open-loop load must not slow itself down. */
  public void write(Buffer bytes) {
    if (!closed) {
      socket.write(bytes);
    }
  }

  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  public Future<Void> close() {
    return socket.close();
  }

  private Future<Event> request(Buffer bytes) {
    Promise<Event> promise = Promise.promise();
    onContext(
        () -> {
          if (closed) {
            promise.fail("connection closed");
            return;
          }
          waiting.add(promise);
          socket.write(bytes);
        });
    return promise.future();
  }

  private void dispatch(Event event) {
    boolean isAck = event instanceof Event.LoginAck || event instanceof Event.RegisterAck;
    if (isAck && !waiting.isEmpty()) {
      waiting.poll().complete(event);
    } else if (event instanceof Event.ServerError err && !waiting.isEmpty()) {
      waiting.poll().fail("server error " + err.code() + ": " + err.message());
    } else {
      onEvent.accept(event);
    }
  }

  private void onClose() {
    closed = true;
    Promise<Event> p;
    while ((p = waiting.poll()) != null) {
      p.fail("connection closed");
    }
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
