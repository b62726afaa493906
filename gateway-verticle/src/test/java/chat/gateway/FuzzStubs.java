package chat.gateway;

import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.bus.ConversationList;
import chat.protocol.bus.Done;
import chat.protocol.bus.EpochRead;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.Login;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.PasswordChange;
import chat.protocol.bus.Profile;
import chat.protocol.bus.ReadUpTo;
import chat.protocol.bus.Register;
import chat.protocol.bus.StoreMessage;
import chat.protocol.bus.TypingSignal;
import io.vertx.core.eventbus.Message;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat and the store for {@link FuzzGateway}: each request answered at once with a plausible
 * reply, or failed with a stable code when the input's plan says so. A request that acts as
 * another user than the one chat granted the login to is recorded as an escaped failure: ids a
 * client names must never be trusted. Confined to the gateway's event loop.
 */
final class FuzzStubs {
  /** The users the stub grants a password or token login for; any other is refused. */
  static final int MAX_KNOWN_USER = 1000;
  private static final ErrorCode[] FAILURES = {
      ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMITED, ErrorCode.LIMIT_REACHED,
      ErrorCode.BAD_FIELD, ErrorCode.INVALID_VALUE, ErrorCode.OVERLOADED, ErrorCode.UNAVAILABLE};

  private final List<Throwable> escaped;
  /** What the stubs were asked during the current input. */
  private final List<Object> asked = new ArrayList<>();
  /** Bit k set: the k-th bus request of the input (k < 16) fails with {@link #failWith}. */
  private int failMask;
  private ErrorCode failWith = ErrorCode.NOT_FOUND;
  /** The user chat granted a login to during the current input, or 0. */
  private int granted;

  FuzzStubs(List<Throwable> escaped) {
    this.escaped = escaped;
  }

  /** A new input: its plan of failures, chosen by the input. */
  void begin(int failMask, int failCode) {
    asked.clear();
    granted = 0;
    this.failMask = failMask;
    this.failWith = FAILURES[Math.floorMod(failCode, FAILURES.length)];
  }

  private boolean fails() {
    int k = asked.size() - 1;
    return k < 16 && (failMask & (1 << k)) != 0;
  }

  /** The acting user of a request must be the one chat granted the login to, never one the client named. */
  private void actingUser(int user) {
    if (user != granted) {
      escaped.add(new AssertionError("a request acts as user " + user + ", the login is " + granted));
    }
  }

  void chat(Message<Object> msg) {
    Object r = msg.body();
    asked.add(r);
    if (r instanceof chat.protocol.bus.SessionEnded) {
      msg.reply(Done.DONE);
      return;
    }
    if (fails()) {
      msg.fail(failWith.code(), "refused by the fuzz plan");
      return;
    }
    Object reply;
    if (r instanceof Login l) {
      reply = login(l);
    } else if (r instanceof Register) {
      reply = new Register.Registered(42);
    } else if (r instanceof PasswordChange p) {
      actingUser(p.user());
      reply = new PasswordChange.Issued("7.new-token", "2030-01-01T00:00:00Z");
    } else if (r instanceof FriendChange f) {
      actingUser(f.user());
      reply = new FriendChange.Result(FriendChange.Outcome.REQUESTED);
    } else if (r instanceof GroupCreate g) {
      actingUser(g.user());
      reply = new GroupCreate.Created(9);
    } else {
      if (r instanceof GroupJoin g) {
        actingUser(g.user());
      } else if (r instanceof GroupAction g) {
        actingUser(g.user());
      } else if (r instanceof ReadUpTo g) {
        actingUser(g.user());
      } else if (r instanceof TypingSignal g) {
        actingUser(g.user());
      }
      reply = Done.DONE; // logout, receipts
    }
    if (reply == null) {
      msg.fail(ErrorCode.BAD_CREDENTIALS.code(), "unknown user");
    } else {
      msg.reply(reply);
    }
  }

  private LoginSnapshot login(Login l) {
    if (l.user() < 1 || l.user() > MAX_KNOWN_USER) {
      return null;
    }
    granted = l.user();
    InboxPage.Page offline = new InboxPage.Page(List.of(), 0, false, "e1");
    List<GroupView> groups = List.of(new GroupView(9, "g", "", List.of(new GroupView.Member(l.user(), "u", GroupRole.OWNER, true))));
    return new LoginSnapshot(l.user(), "u" + l.user(), List.of(), List.of(), List.of(), groups, offline, List.of(),
        l.issueToken() ? l.user() + ".token" : null, l.issueToken() ? "2030-01-01T00:00:00Z" : null);
  }

  void store(Message<Object> msg) {
    Object r = msg.body();
    asked.add(r);
    if (fails()) {
      msg.fail(failWith.code(), "refused by the fuzz plan");
      return;
    }
    Object reply = null;
    if (r instanceof EpochRead) {
      reply = new EpochRead.Epoch("e1");
    } else if (r instanceof InboxPage p) {
      actingUser(p.user());
      reply = new InboxPage.Page(List.of(), p.after(), false, "e1");
    } else if (r instanceof HistoryPage h) {
      actingUser(h.user());
      reply = new HistoryPage.Page(List.of(), false);
    } else if (r instanceof ConversationList c) {
      actingUser(c.user());
      reply = new ConversationList.Result(List.of());
    } else if (r instanceof FriendLists f) {
      actingUser(f.user());
      reply = new FriendLists.Lists(List.of(), List.of(), List.of(), List.of());
    } else if (r instanceof GroupInfo g) {
      actingUser(g.user());
      reply = new GroupInfo.Info("g", "", List.of(new GroupView.Member(g.user(), "u", GroupRole.MEMBER, true)));
    } else if (r instanceof GroupList g) {
      actingUser(g.user());
      reply = new GroupList.Groups(List.of());
    } else if (r instanceof Profile p) {
      reply = new Profile.Found(5, p.name());
    } else if (r instanceof StoreMessage m) {
      actingUser(m.from());
      reply = new StoreMessage.Stored(1000 + asked.size(), LocalDateTime.of(2026, 1, 1, 0, 0), false,
          List.of(new StoreMessage.Target(m.from(), asked.size())));
    }
    if (reply == null) {
      msg.fail(ErrorCode.NOT_FOUND.code(), "not stubbed");
    } else {
      msg.reply(reply);
    }
  }
}
