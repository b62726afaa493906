package chat.protocol.bus;

import io.vertx.core.Future;

/** The persistence verticle's side of {@link StoreRequest}: one method per request type. */
public interface StoreHandler {
  Future<Profile.Found> profile(Profile request);

  Future<EpochRead.Epoch> epoch(EpochRead request);

  Future<LoginLoad.Data> loginLoad(LoginLoad request);

  Future<InboxPage.Page> inboxPage(InboxPage request);

  Future<HistoryPage.Page> history(HistoryPage request);

  Future<ConversationList.Result> conversations(ConversationList request);

  Future<LastSeqs.Result> lastSeqs(LastSeqs request);

  Future<Done> markDelivered(MarkDelivered request);

  Future<FriendChange.Result> friendChange(FriendChange request);

  Future<Done> addFriend(AddFriend request);

  Future<FriendLists.Lists> friendLists(FriendLists request);

  Future<GroupCreate.Created> groupCreate(GroupCreate request);

  Future<GroupJoin.Joined> groupJoin(GroupJoin request);

  Future<GroupAction.Changes> groupAction(GroupAction request);

  Future<GroupInfo.Info> groupInfo(GroupInfo request);

  Future<GroupList.Groups> groupList(GroupList request);

  Future<ReadUpTo.Moved> read(ReadUpTo request);

  Future<Audience.Users> audience(Audience request);

  Future<UserCreate.Created> userCreate(UserCreate request);

  Future<UserGet.Account> userGet(UserGet request);

  Future<Done> passwordSet(PasswordSet request);

  Future<TokenRow.Result> tokenRow(TokenRow request);

  Future<TokenKey.Key> tokenKey(TokenKey request);

  Future<TokenSweep.Swept> tokenSweep(TokenSweep request);

  Future<Done> ping(StorePing request);

  Future<CmidPurge.Purged> cmidPurge(CmidPurge request);
}
