package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.AddFriend;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.TypingSignal;
import chat.protocol.bus.ChatReply;
import chat.protocol.bus.ChatRequest;
import chat.protocol.bus.Peer;
import chat.protocol.bus.Store;
import chat.protocol.bus.StoreMessage;
import chat.protocol.bus.StoreReply;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * A connection's requests on the event bus, each counted against its pending requests while in
 * flight. A send, friend request or typing notice refused by a spam limit (RATE_LIMITED from the
 * store or chat) counts as a strike of the connection, as a refusal for its request rate does.
 */
final class Requests {
  private final EventBus bus;
  private final Connection conn;
  private final MessageSend sends;

  Requests(EventBus bus, Connection conn, MessageSend sends) {
    this.bus = bus;
    this.conn = conn;
    this.sends = sends;
  }

  /** A chat message, stored by the message store and handed to its recipients in this JVM (the hot path). */
  Future<StoreMessage.Stored> send(int from, String fromName, Peer to, String text, String cmid) {
    conn.beginRequest();
    return sends.send(from, fromName, to, text, cmid).andThen(ar -> {
      conn.endRequest();
      strikeIfLimited(ar.cause());
    });
  }

  /** A typed request to the store (a read). */
  <R extends StoreReply> Future<R> store(StoreRequest<R> request) {
    conn.beginRequest();
    return Store.ask(bus, request).andThen(ar -> conn.endRequest());
  }

  /** A typed request to chat (a write). */
  <R extends ChatReply> Future<R> chat(ChatRequest<R> request) {
    conn.beginRequest();
    // only the spam-limited requests: a login or password change refused for its rate has limits of its own
    boolean spam = request instanceof FriendChange || request instanceof AddFriend || request instanceof TypingSignal;
    return bus.<R>request(Addresses.CHAT, request).map(Message::body).andThen(ar -> {
      conn.endRequest();
      if (spam) {
        strikeIfLimited(ar.cause());
      }
    });
  }

  private void strikeIfLimited(Throwable failure) {
    if (failure != null && Replies.codeOf(failure) == ErrorCode.RATE_LIMITED && !conn.aborted()) {
      conn.overLimit("spam");
    }
  }
}
