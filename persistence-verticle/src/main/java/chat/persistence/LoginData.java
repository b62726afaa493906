package chat.persistence;

import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.Replies;
import chat.protocol.bus.Conversation;
import chat.protocol.bus.Friend;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.LoginLoad;
import chat.protocol.bus.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a user sees at login: friends, groups with members, and undelivered messages. */
final class LoginData {
  /** What a frame adds to its text: ids, name, time, keys. */
  private static final int FRAME_OVERHEAD_BYTES = 100;
  /** Most messages in one page, whatever a caller asks for (v2 sync passes the client's limit). */
  static final int MAX_PAGE = 500;

  private final Pool pool;
  private final int pageBytes;
  private final Epoch epoch;
  private final ReadCursors cursors;

  /** {@code pageBytes}: the frames of one page (and so of the login ack) stop at about this size. */
  LoginData(Pool pool, int pageBytes, Epoch epoch, ReadCursors cursors) {
    this.pool = pool;
    this.pageBytes = pageBytes;
    this.epoch = epoch;
    this.cursors = cursors;
  }

  /** The first inbox page starts after the user's delivered watermark. */
  Future<LoginLoad.Data> load(LoginLoad req) {
    int id = req.user();
    Future<RowSet<Row>> user = pool.preparedQuery(SqlQueries.SELECT_USER).execute(Tuple.of(id));
    Future<RowSet<Row>> friends = pool.preparedQuery(SqlQueries.SELECT_FRIENDS).execute(Tuple.of(id));
    Future<RowSet<Row>> groups =
        pool.preparedQuery(SqlQueries.SELECT_GROUPS_OF_USER).execute(Tuple.of(id));
    Future<RowSet<Row>> members =
        pool.preparedQuery(SqlQueries.SELECT_MEMBERS_OF_USERS_GROUPS).execute(Tuple.of(id));
    Future<String> current = epoch.read();
    Future<RowSet<Row>> requests = pool.preparedQuery(SqlQueries.SELECT_REQUESTS_OF_USER).execute(Tuple.of(id, id));
    Future<List<Conversation>> conversations = req.conversations()
        ? cursors.conversations(id) : Future.succeededFuture(List.of());
    return Future.all(List.of(user, friends, groups, members, current, requests, conversations))
        .compose(
            all -> {
              if (user.result().size() == 0) {
                return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
              }
              long delivered = user.result().iterator().next().getLong("delivered_seq");
              return page(id, delivered, req.limit()).map(offline -> new LoginLoad.Data(
                  friendsOf(friends.result()), requestsOf(requests.result(), "incoming"), requestsOf(requests.result(), "outgoing"),
                  groupsOf(groups.result(), members.result()),
                  new InboxPage.Page(offline.messages(), offline.last(), offline.more(), current.result()),
                  conversations.result()));
            });
  }

  private static List<Person> requestsOf(RowSet<Row> rows, String kind) {
    List<Person> out = new ArrayList<>();
    for (Row r : rows) {
      if (kind.equals(r.getString("kind"))) {
        out.add(new Person(r.getInteger("id"), r.getString("name")));
      }
    }
    return out;
  }

  /**
   * Any {@code after} from 0 up is fine: a client that lost its numbers syncs from 0 and pages
   * through whatever its inbox still holds.
   */
  Future<InboxPage.Page> offlinePage(InboxPage req) {
    if (req.after() < 0 || req.limit() < 1) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "after must be >= 0 and limit >= 1");
    }
    Future<String> current = epoch.read();
    Future<InboxPage.Page> page = page(req.user(), req.after(), req.limit());
    return Future.all(current, page).map(all -> {
      InboxPage.Page p = page.result();
      return new InboxPage.Page(p.messages(), p.last(), p.more(), current.result());
    });
  }

  /** A page without its epoch: the caller reads that alongside. */
  private Future<InboxPage.Page> page(int userId, long after, int requested) {
    int limit = Math.min(requested, MAX_PAGE);
    return pool.preparedQuery(SqlQueries.SELECT_INBOX_PAGE)
        .execute(Tuple.of(userId, after, limit + 1, pageBytes))
        .map(
            rows -> {
              List<Delivery> messages = new ArrayList<>();
              long last = after;
              long bytes = 0;
              boolean more = false;
              for (Row r : rows) {
                ChatMessage message = messageOf(r);
                long size = utf8Length(message.text()) + FRAME_OVERHEAD_BYTES;
                if (messages.size() == limit || (!messages.isEmpty() && bytes + size > pageBytes)) {
                  more = true;
                  break;
                }
                bytes += size;
                last = r.getLong("seq");
                messages.add(new Delivery(last, message));
              }
              return new InboxPage.Page(messages, last, more, null);
            });
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static ChatMessage messageOf(Row r) {
    return new ChatMessage(r.getLong("id"), r.getInteger("sender_id"), r.getString("name"), r.getInteger("to_id"),
        r.getInteger("group_id"), r.getString("body"), r.getLocalDateTime("created_at"));
  }

  private static List<Friend> friendsOf(RowSet<Row> rows) {
    List<Friend> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new Friend(r.getInteger("id"), r.getString("name"), Ephemeral.truth(r, "mutual"), false));
    }
    return out;
  }

  private static List<GroupView> groupsOf(RowSet<Row> groups, RowSet<Row> members) {
    Map<Integer, List<GroupView.Member>> byGroup = new LinkedHashMap<>();
    for (Row g : groups) {
      byGroup.put(g.getInteger("id"), new ArrayList<>());
    }
    for (Row m : members) {
      List<GroupView.Member> list = byGroup.get(m.getInteger("group_id"));
      if (list != null) {
        list.add(new GroupView.Member(m.getInteger("id"), m.getString("name"), GroupRole.of(m.getString("role")), false));
      }
    }
    List<GroupView> out = new ArrayList<>();
    for (Row g : groups) {
      out.add(new GroupView(g.getInteger("id"), g.getString("name"), g.getString("description"), byGroup.get(g.getInteger("id"))));
    }
    return out;
  }
}
