package chat.protocol.bus;

/** What the store answers: one record per request type, declared beside its request. */
public sealed interface StoreReply
    permits Profile.Found, EpochRead.Epoch, LoginLoad.Data, InboxPage.Page, HistoryPage.Page, ConversationList.Result,
        LastSeqs.Result, Done, FriendChange.Result, FriendLists.Lists,
        GroupCreate.Created, GroupJoin.Joined, GroupAction.Changes, GroupInfo.Info, GroupList.Groups,
        ReadUpTo.Moved, Audience.Users,
        UserCreate.Created, UserGet.Account, TokenRow.Result, TokenKey.Key, TokenSweep.Swept,
        CmidPurge.Purged {}
