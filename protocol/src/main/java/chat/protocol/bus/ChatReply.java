package chat.protocol.bus;

/** What chat answers: one record per request type. */
public sealed interface ChatReply permits Register.Registered, PasswordChange.Issued, LoginSnapshot, Done, FriendChange.Result, GroupCreate.Created,
    ChatStatus.Report {}
