package chat.logic;

import chat.protocol.bus.AddFriend;
import chat.protocol.bus.ChatHandler;
import chat.protocol.bus.ChatStatus;
import chat.protocol.bus.Received;
import chat.protocol.bus.Done;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Logout;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.Register;
import chat.protocol.bus.SessionEnded;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.RouteMessage;
import chat.protocol.bus.TypingSignal;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** The typed requests at chat's address, each handed to the class that owns the rule. */
final class ChatRequests implements ChatHandler {
  private final Accounts accounts;
  private final Friends friends;
  private final Groups groups;
  private final Router router;
  private final GroupAdmin groupAdmin;
  private final Receipts receipts;
  private final Typing typing;
  private final Supplier<ChatStatus.Report> status;

  ChatRequests(Accounts accounts, Router router, Friends friends, Groups groups, GroupAdmin groupAdmin,
      Receipts receipts, Typing typing, Supplier<ChatStatus.Report> status) {
    this.status = status;
    this.receipts = receipts;
    this.typing = typing;
    this.groupAdmin = groupAdmin;
    this.router = router;
    this.accounts = accounts;
    this.friends = friends;
    this.groups = groups;
  }

  @Override
  public Future<LoginSnapshot> login(Login request) {
    return accounts.login(request);
  }

  @Override
  public Future<Done> route(RouteMessage request) {
    router.deliver(request.targets(), request.message());
    return Future.succeededFuture(Done.DONE);
  }

  @Override
  public Future<FriendChange.Result> friendChange(FriendChange request) {
    return friends.change(request);
  }

  @Override
  public Future<Done> addFriend(AddFriend request) {
    return groups.addFriend(request);
  }

  @Override
  public Future<GroupCreate.Created> groupCreate(GroupCreate request) {
    return groups.create(request);
  }

  @Override
  public Future<Done> groupJoin(GroupJoin request) {
    return groups.join(request);
  }

  @Override
  public Future<Done> groupAction(GroupAction request) {
    return groupAdmin.act(request);
  }

  @Override
  public Future<Done> read(ReadUpTo request) {
    return receipts.read(request);
  }

  @Override
  public Future<Done> typing(TypingSignal request) {
    return typing.typing(request);
  }

  @Override
  public Future<Done> delivered(Received request) {
    return receipts.delivered(request);
  }

  @Override
  public Future<Register.Registered> register(Register request) {
    return accounts.register(request);
  }

  @Override
  public Future<PasswordChange.Issued> password(PasswordChange request) {
    return accounts.changePassword(request);
  }

  @Override
  public Future<Done> logout(Logout request) {
    return accounts.revokeToken(request);
  }

  @Override
  public Future<Done> sessionEnded(SessionEnded request) {
    return accounts.sessionClosed(request);
  }

  @Override
  public Future<ChatStatus.Report> status(ChatStatus request) {
    return Future.succeededFuture(status.get());
  }
}
