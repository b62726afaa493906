package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * A request to the persistence verticle at {@link chat.protocol.Addresses#STORE}, answered by a
 * reply of type {@code R} or a failure with a stable code. Reads come here from the gateway
 * directly; writes, and anything that changes presence or routing, come through chat.
 *
 * <p>Each request hands itself to the one {@link StoreHandler} method made for it: Java 17 has no
 * exhaustive pattern-matching switch, so a new request type is a new handler method, and the
 * compiler lists every implementation that does not handle it yet.
 */
public sealed interface StoreRequest<R extends StoreReply>
    permits Profile, EpochRead, LoginLoad, FriendChange, AddFriend, FriendLists,
        GroupCreate, GroupJoin, GroupAction, GroupInfo, GroupList, ReadUpTo, Audience,
        UserCreate, UserGet, PasswordSet, TokenRow, TokenKey, TokenSweep, InboxPage, HistoryPage, ConversationList, LastSeqs, MarkDelivered,
        StorePing, CmidPurge {

  Future<R> handleWith(StoreHandler handler);
}
