package chat.persistence;

import chat.protocol.bus.AddFriend;
import chat.protocol.bus.CmidPurge;
import chat.protocol.bus.Audience;
import chat.protocol.bus.ConversationList;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.Done;
import chat.protocol.bus.EpochRead;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.LastSeqs;
import chat.protocol.bus.LoginLoad;
import chat.protocol.bus.MarkDelivered;
import chat.protocol.bus.PasswordSet;
import chat.protocol.bus.Profile;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.StoreHandler;
import chat.protocol.bus.StorePing;
import chat.protocol.bus.TokenKey;
import chat.protocol.bus.TokenRow;
import chat.protocol.bus.TokenSweep;
import chat.protocol.bus.UserCreate;
import chat.protocol.bus.UserGet;
import io.vertx.core.Future;

/** The typed requests at the store's address, each handed to the class that owns its tables. */
final class StoreRequests implements StoreHandler {
  private final Users users;
  private final Epoch epoch;
  private final LoginData login;
  private final History history;
  private final ReadCursors cursors;
  private final Friendships friendships;
  private final Social social;
  private final GroupAdmin groups;
  private final Ephemeral ephemeral;
  private final TokenRows tokens;
  private final ClientIdPurge purge;

  StoreRequests(Users users, Epoch epoch, LoginData login, History history, ReadCursors cursors, Friendships friendships,
      Social social, GroupAdmin groups, Ephemeral ephemeral, TokenRows tokens, ClientIdPurge purge) {
    this.purge = purge;
    this.tokens = tokens;
    this.ephemeral = ephemeral;
    this.groups = groups;
    this.friendships = friendships;
    this.social = social;
    this.users = users;
    this.epoch = epoch;
    this.login = login;
    this.history = history;
    this.cursors = cursors;
  }

  @Override
  public Future<Profile.Found> profile(Profile request) {
    return users.profile(request);
  }

  @Override
  public Future<EpochRead.Epoch> epoch(EpochRead request) {
    return epoch.read().map(EpochRead.Epoch::new);
  }

  @Override
  public Future<LoginLoad.Data> loginLoad(LoginLoad request) {
    return login.load(request);
  }

  @Override
  public Future<InboxPage.Page> inboxPage(InboxPage request) {
    return login.offlinePage(request);
  }

  @Override
  public Future<HistoryPage.Page> history(HistoryPage request) {
    return history.page(request);
  }

  @Override
  public Future<ConversationList.Result> conversations(ConversationList request) {
    return cursors.conversations(request.user()).map(ConversationList.Result::new);
  }

  @Override
  public Future<LastSeqs.Result> lastSeqs(LastSeqs request) {
    return users.lastSeqs(request);
  }

  @Override
  public Future<Done> markDelivered(MarkDelivered request) {
    return users.markDelivered(request);
  }

  @Override
  public Future<FriendChange.Result> friendChange(FriendChange request) {
    return friendships.change(request);
  }

  @Override
  public Future<Done> addFriend(AddFriend request) {
    return social.addFriend(request);
  }

  @Override
  public Future<GroupCreate.Created> groupCreate(GroupCreate request) {
    return social.createGroup(request);
  }

  @Override
  public Future<GroupJoin.Joined> groupJoin(GroupJoin request) {
    return social.joinGroup(request);
  }

  @Override
  public Future<GroupAction.Changes> groupAction(GroupAction request) {
    return groups.act(request);
  }

  @Override
  public Future<GroupInfo.Info> groupInfo(GroupInfo request) {
    return groups.info(request);
  }

  @Override
  public Future<GroupList.Groups> groupList(GroupList request) {
    return groups.list(request);
  }

  @Override
  public Future<ReadUpTo.Moved> read(ReadUpTo request) {
    return cursors.read(request);
  }

  @Override
  public Future<Audience.Users> audience(Audience request) {
    return ephemeral.audience(request);
  }

  @Override
  public Future<FriendLists.Lists> friendLists(FriendLists request) {
    return friendships.lists(request);
  }

  @Override
  public Future<UserCreate.Created> userCreate(UserCreate request) {
    return users.create(request);
  }

  @Override
  public Future<UserGet.Account> userGet(UserGet request) {
    return users.get(request);
  }

  @Override
  public Future<Done> passwordSet(PasswordSet request) {
    return tokens.setPassword(request);
  }

  @Override
  public Future<TokenRow.Result> tokenRow(TokenRow request) {
    return tokens.row(request);
  }

  @Override
  public Future<TokenKey.Key> tokenKey(TokenKey request) {
    return tokens.key(request);
  }

  @Override
  public Future<TokenSweep.Swept> tokenSweep(TokenSweep request) {
    return tokens.sweep(request);
  }

  @Override
  public Future<Done> ping(StorePing request) {
    return users.ping();
  }

  @Override
  public Future<CmidPurge.Purged> cmidPurge(CmidPurge request) {
    return purge.run();
  }
}
