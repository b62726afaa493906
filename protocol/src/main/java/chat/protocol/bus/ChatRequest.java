package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * A request to the chat verticle at {@link chat.protocol.Addresses#CHAT}: writes, and anything that
 * changes presence or routing. A chat message is stored by its sender's gateway itself (the hot
 * path); chat only routes it to the recipients that gateway does not hold ({@link RouteMessage}). Like {@link StoreRequest}, each hands itself to its own
 * {@link ChatHandler} method, so the compiler lists every handler a new type must reach.
 */
public sealed interface ChatRequest<R extends ChatReply> permits Register, Login, PasswordChange, Logout, SessionEnded, RouteMessage, FriendChange, AddFriend, GroupCreate, GroupJoin, GroupAction,
        ReadUpTo, TypingSignal, Received, ChatStatus {
  Future<R> handleWith(ChatHandler handler);
}
