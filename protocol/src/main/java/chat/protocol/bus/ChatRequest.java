package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * A request to the chat verticle at {@link chat.protocol.Addresses#CHAT}: writes, and anything that
 * changes presence or routing. Like {@link StoreRequest}, each hands itself to its own
 * {@link ChatHandler} method, so the compiler lists every handler a new type must reach.
 */
public sealed interface ChatRequest<R extends ChatReply> permits Register, Login, PasswordChange, Logout, SessionEnded, SendMessage, FriendChange, AddFriend, GroupCreate, GroupJoin, GroupAction,
        ReadUpTo, TypingSignal, Received, ChatStatus {
  Future<R> handleWith(ChatHandler handler);
}
