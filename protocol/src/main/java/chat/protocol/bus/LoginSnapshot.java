package chat.protocol.bus;

import java.util.List;

/**
 * A login that won its claim: who the user is, their friends and groups with presence, pending
 * friend requests, the first inbox page, and (v2) conversations and the resume token. Only the
 * gateway turns it into a frame, classic or v2.
 */
public record LoginSnapshot(int user, String name, List<Friend> friends, List<Person> incoming, List<Person> outgoing,
    List<GroupView> groups, InboxPage.Page offline, List<Conversation> conversations, String token, String expires)
    implements ChatReply {

  /** The resume token is not printed. */
  @Override
  public String toString() {
    return "LoginSnapshot[user=" + user + ", friends=" + friends.size() + ", groups=" + groups.size()
        + ", offline=" + offline.messages().size() + "]";
  }
}
