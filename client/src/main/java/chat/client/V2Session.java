package chat.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A v2 login that survives its connection: requests matched to replies, messages shown once each
 * and acked, sends kept until the server has them, and, when the server goes away, reconnects
 * with backoff and the resume token, then sends again what was not acknowledged and syncs what
 * was missed. Every piece of state is touched on one thread (the loop); the reader thread, the
 * timers and the shell only post work to it.
 */
final class V2Session implements AutoCloseable {
  /** Where lines for the user go (above the prompt). */
  interface Screen {
    void show(String text);
  }

  static final long REPLY_TIMEOUT_MS = 15_000;
  private static final long PING_MS = 60_000;
  private static final long QUIT_WAIT_MS = 2000;
  private static final int SYNC_PAGE = 500;

  private enum State { OUT, IN, RECONNECTING }

  private final String host;
  private final int port;
  private final Screen screen;
  private final Loop loop;
  private final ScheduledExecutorService timers;
  private final Pending pending = new Pending(Pending.DEFAULT_MAX);
  private final Inbox inbox = new Inbox(Inbox.DEFAULT_MAX_AHEAD);
  private final Outbox outbox = new Outbox(Outbox.DEFAULT_MAX);
  private final Backoff backoff;
  private final Names names = new Names(Names.DEFAULT_MAX);

  private FrameLink link;
  /** The server asked us to reconnect elsewhere: the next try goes at once. */
  private boolean moveNow;
  private State state = State.OUT;
  private volatile boolean online;
  private volatile boolean quitting;
  private int me;
  private String token;
  private long lastAck;
  private long lostAt;

  V2Session(String host, int port, Screen screen, long firstRetryMs, long maxRetryMs) {
    this.host = host;
    this.port = port;
    this.screen = screen;
    this.backoff = new Backoff(firstRetryMs, maxRetryMs);
    this.loop = new Loop("chat-v2", Loop.DEFAULT_CAPACITY);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chat-v2-timer");
      t.setDaemon(true);
      return t;
    });
    timers.scheduleAtFixedRate(() -> onLoop(this::ping), PING_MS, PING_MS, TimeUnit.MILLISECONDS);
  }

  /** Connects and says hello now, so that a server that is not there is known before the menu. */
  void connect() throws IOException {
    CompletableFuture<IOException> result = new CompletableFuture<>();
    onLoop(() -> {
      try {
        ensureLink();
        result.complete(null);
      } catch (IOException e) {
        result.complete(e);
      }
    });
    IOException e = result.join();
    if (e != null) {
      throw e;
    }
  }

  /** True from a login until logout, quit, or a resume the server refused. */
  boolean online() {
    return online;
  }

  JsonObject register(String name, String password) {
    return await(done -> call(new JsonObject().put("type", "register").put("name", name).put("password", password), done));
  }

  /** Logs in with the password; on success the account summary and waiting messages are shown first. */
  JsonObject login(int user, String password) {
    return await(done -> call(new JsonObject().put("type", "login").put("user", user).put("password", password), r -> {
      if (r.getBoolean("ok", false)) {
        loggedIn(r);
      }
      done.accept(r);
    }));
  }

  /** A command of the chat prompt; its reply (or error) is shown when it comes. */
  void run(V2Commands.Cmd cmd) {
    onLoop(() -> {
      if (cmd.kind() == V2Commands.Kind.SEND) {
        queueSend(cmd.to(), cmd.text());
      } else if (state != State.IN || link == null) {
        screen.show(cmd.what() + ": not connected (reconnecting); try again in a moment");
      } else {
        send(cmd.request(), r -> screen.show(ok(r) ? cmd.render().apply(r) : V2Screens.refused(cmd.what(), r)));
      }
    });
  }

  /** Ends the login (the server revokes the token); messages not yet sent are dropped and counted. */
  void logout() {
    logout(REPLY_TIMEOUT_MS);
  }

  private void logout(long waitMs) {
    await(waitMs, done -> {
      boolean tell = state == State.IN && link != null;
      loggedOut();
      if (tell) {
        send(new JsonObject().put("type", "logout"), done);
      } else {
        done.accept(new JsonObject().put("ok", true));
      }
    });
  }

  // ---- the loop ----

  private void onLoop(Runnable task) {
    loop.post(task);
  }

  /** Runs {@code start} on the loop and waits for the reply it hands on (or a timeout). */
  private JsonObject await(Consumer<Consumer<JsonObject>> start) {
    return await(REPLY_TIMEOUT_MS, start);
  }

  private JsonObject await(long waitMs, Consumer<Consumer<JsonObject>> start) {
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    onLoop(() -> start.accept(reply::complete));
    try {
      return reply.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Pending.lost("no answer from the server within " + waitMs / 1000 + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Pending.lost("interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      return Pending.lost(String.valueOf(e.getCause()));
    }
  }

  /** A request at the menu: connects first if the last connection ended. */
  private void call(JsonObject request, Consumer<JsonObject> handler) {
    try {
      ensureLink();
    } catch (IOException e) {
      handler.accept(Pending.lost("cannot connect to " + host + ":" + port + ": " + e.getMessage()));
      return;
    }
    send(request, handler);
  }

  private void ensureLink() throws IOException {
    if (link == null) {
      link = open();
      send(hello(), r -> {
        if (ok(r)) {
          inbox.sameEpoch(r.getString("epoch"));
        } else if (!Pending.isLost(r)) {
          screen.show(V2Screens.refused("connecting", r));
        }
      });
    }
  }

  private FrameLink open() throws IOException {
    FrameLink[] self = new FrameLink[1];
    self[0] = FrameLink.open(host, port, (byte) '\n',
        frame -> onLoop(() -> {
          if (link == self[0]) {
            onFrame(frame);
          }
        }),
        () -> onLoop(() -> {
          if (link == self[0]) {
            onClosed();
          }
        }));
    return self[0];
  }

  private static JsonObject hello() {
    return new JsonObject().put("v", 2).put("type", "hello").put("client", "chat-client/2");
  }

  private void send(JsonObject request, Consumer<JsonObject> handler) {
    String id = pending.add(handler);
    if (id == null) {
      handler.accept(new JsonObject().put("ok", false).put("error", "too many requests are waiting for the server"));
      return;
    }
    try {
      link.send(request.copy().put("id", id));
    } catch (IOException e) {
      link.close(); // the reader sees the end and fails what waits, this request included
    }
  }

  private void onFrame(JsonObject f) {
    if (f.containsKey("re")) {
      pending.complete(f);
    } else if ("msg".equals(f.getString("type"))) {
      show(new JsonArray().add(f));
    } else if ("reconnect".equals(f.getString("type"))) {
      // the node is draining: another one (through the balancer) takes us at once, no backoff
      screen.show("the server is shutting down; moving to another one");
      moveNow = true;
      closeLink();
    } else if (f.containsKey("error")) {
      screen.show("server: " + f.getString("error") + " (" + f.getValue("code") + ")");
    } else {
      names.put(f.getInteger("user"), f.getString("name"));
      String text = V2Screens.push(f, names::get);
      if (text != null) {
        screen.show(text);
      }
    }
  }

  /** Entries [{seq, msg}]: each shown once, then one ack, and read receipts for what others wrote. */
  private void show(JsonArray entries) {
    Map<String, JsonObject> reads = new LinkedHashMap<>();
    for (JsonObject e : V2Screens.objects(entries)) {
      JsonObject m = e.getJsonObject("msg");
      if (m == null || !inbox.take(e.getLong("seq", 0L))) {
        continue;
      }
      screen.show(V2Screens.message(m));
      names.put(m.getInteger("from"), m.getString("fromName"));
      if (m.getInteger("from", 0) != me) {
        JsonObject to = m.getJsonObject("to", new JsonObject());
        JsonObject with = to.containsKey("group") ? to : new JsonObject().put("user", m.getInteger("from"));
        reads.put(with.encode(), new JsonObject().put("type", "read").put("with", with).put("upto", m.getValue("id")));
      }
    }
    if (link == null) {
      return;
    }
    if (inbox.acked() > lastAck) {
      lastAck = inbox.acked();
      send(new JsonObject().put("type", "ack").put("seq", lastAck), r -> {});
    }
    reads.values().forEach(r -> send(r, reply -> {}));
  }

  private void loggedIn(JsonObject r) {
    me = r.getInteger("user");
    token = r.getString("token");
    JsonArray msgs = r.getJsonArray("msgs", new JsonArray());
    long first = msgs.isEmpty() ? r.getLong("seq", 0L) + 1 : msgs.getJsonObject(0).getLong("seq");
    inbox.start(first - 1, r.getString("epoch"));
    lastAck = inbox.acked();
    setState(State.IN);
    rememberFriends(r);
    V2Screens.loggedIn(r).forEach(screen::show);
    show(msgs);
  }

  private void rememberFriends(JsonObject r) {
    for (JsonObject f : V2Screens.objects(r.getJsonArray("friends"))) {
      names.put(f.getInteger("id"), f.getString("name"));
    }
  }

  private void loggedOut() {
    setState(State.OUT);
    token = null;
    if (outbox.size() > 0) {
      screen.show(outbox.size() + " message(s) not sent: the login ended before the server had them");
      outbox.clear();
    }
  }

  private void setState(State s) {
    state = s;
    online = s != State.OUT;
  }

  private void onClosed() {
    link = null;
    pending.failAll("the connection was lost");
    if (quitting) {
      return;
    }
    if (state == State.IN) {
      setState(State.RECONNECTING);
      lostAt = System.currentTimeMillis();
      screen.show("connection to the server lost; reconnecting by itself"
          + (outbox.size() > 0 ? " (" + outbox.size() + " message(s) will be sent again)" : ""));
      retryLater();
    } else if (state == State.RECONNECTING) {
      retryLater();
    } else {
      screen.show("connection closed by the server");
    }
  }

  // ---- reconnect, resend, sync ----

  private void retryLater() {
    long wait = moveNow ? 0 : backoff.next();
    moveNow = false;
    timers.schedule(() -> onLoop(this::reconnect), wait, TimeUnit.MILLISECONDS);
  }

  private void reconnect() {
    if (state != State.RECONNECTING || quitting || link != null) {
      return;
    }
    try {
      link = open();
    } catch (IOException e) {
      if (backoff.attempts() % 10 == 0) {
        screen.show("still reconnecting (" + backoff.attempts() + " attempts): " + e.getMessage());
      }
      retryLater();
      return;
    }
    send(hello(), r -> {
      if (!ok(r)) {
        closeLink(); // lost, or refused (too many connections): the close schedules the next try
        return;
      }
      epochChanged(r.getString("epoch"));
      send(new JsonObject().put("type", "login").put("token", token), this::resumed);
    });
  }

  private void resumed(JsonObject r) {
    if (ok(r)) {
      backoff.reset();
      setState(State.IN);
      rememberFriends(r);
      screen.show(String.format("reconnected after %.1f s", (System.currentTimeMillis() - lostAt) / 1000.0));
      epochChanged(r.getString("epoch"));
      show(r.getJsonArray("msgs", new JsonArray()));
      outbox.unacked().forEach(this::transmit);
      sync(inbox.acked());
    } else if (Pending.isLost(r)) {
      return; // the close already scheduled the next try
    } else if (r.getInteger("code", 0) == 1010) {
      loggedOut();
      screen.show(V2Screens.refused("resuming the session", r) + "; log in again (press Enter for the menu)");
    } else {
      screen.show(V2Screens.refused("resuming the session", r) + "; trying again");
      closeLink();
    }
  }

  /** A new epoch means a new store whose numbers start over: say so, and start from 0. */
  private boolean epochChanged(String epoch) {
    String before = inbox.epoch();
    if (inbox.sameEpoch(epoch)) {
      return false;
    }
    lastAck = 0;
    screen.show("the server's message store is not the one this client knew (epoch " + before + ", now " + epoch
        + "): its message numbers start over, so everything is fetched again from the start");
    return true;
  }

  /** Everything after {@code after}, page by page; what was already shown is skipped. */
  private void sync(long after) {
    send(new JsonObject().put("type", "sync").put("after", after).put("limit", SYNC_PAGE), r -> {
      if (!ok(r)) {
        if (!Pending.isLost(r)) {
          screen.show(V2Screens.refused("sync", r));
        }
        return;
      }
      if (epochChanged(r.getString("epoch"))) {
        sync(0);
        return;
      }
      JsonArray msgs = r.getJsonArray("msgs", new JsonArray());
      show(msgs);
      if (r.getBoolean("more", false) && !msgs.isEmpty()) {
        sync(msgs.getJsonObject(msgs.size() - 1).getLong("seq"));
      }
    });
  }

  private void queueSend(JsonObject to, String text) {
    if (state == State.OUT) {
      screen.show("not logged in");
      return;
    }
    JsonObject send = outbox.add(to, text);
    if (send == null) {
      screen.show("not sent: " + outbox.max() + " messages already wait for the connection");
    } else if (state == State.IN && link != null) {
      transmit(send);
    } else {
      screen.show("not connected: the message will be sent when the connection is back");
    }
  }

  private void transmit(JsonObject send) {
    send(send, r -> {
      if (Pending.isLost(r)) {
        return; // kept: sent again with the same cmid after the reconnect
      }
      outbox.done(send.getString("cmid"));
      screen.show(sendResult(send.getJsonObject("to"), r));
    });
  }

  static String sendResult(JsonObject to, JsonObject r) {
    String where = to.containsKey("group") ? "group " + to.getValue("group") : "[" + to.getValue("user") + "]";
    if (!ok(r)) {
      return V2Screens.refused("message to " + where, r);
    }
    return "sent to " + where + " as #" + r.getValue("messageId")
        + (r.getBoolean("duplicate", false) ? " (the server had it already: stored once)" : "");
  }

  private void ping() {
    if (state == State.IN && link != null) {
      send(new JsonObject().put("type", "ping"), r -> {});
    }
  }

  private void closeLink() {
    if (link != null) {
      link.close();
    }
  }

  private static boolean ok(JsonObject r) {
    return r.getBoolean("ok", false);
  }

  /** Quits: logs out if logged in (the token is revoked), then closes without calling it the server's doing. */
  @Override
  public void close() {
    if (online) {
      logout(QUIT_WAIT_MS); // revokes the token; a server that does not answer does not hold the exit up
    }
    quitting = true;
    onLoop(this::closeLink);
    timers.shutdownNow();
    loop.shutdown(QUIT_WAIT_MS);
  }
}
