package chat.protocol.bus;

import io.vertx.core.Future;

/** The chat verticle's side of {@link ChatRequest}: one method per request type. */
public interface ChatHandler {
  Future<Register.Registered> register(Register request);

  Future<LoginSnapshot> login(Login request);

  Future<PasswordChange.Issued> password(PasswordChange request);

  Future<Done> logout(Logout request);

  Future<Done> sessionEnded(SessionEnded request);

  Future<Done> route(RouteMessage request);

  Future<FriendChange.Result> friendChange(FriendChange request);

  Future<Done> addFriend(AddFriend request);

  Future<GroupCreate.Created> groupCreate(GroupCreate request);

  Future<Done> groupJoin(GroupJoin request);

  Future<Done> groupAction(GroupAction request);

  Future<Done> read(ReadUpTo request);

  Future<Done> typing(TypingSignal request);

  Future<Done> delivered(Received request);

  Future<ChatStatus.Report> status(ChatStatus request);
}
