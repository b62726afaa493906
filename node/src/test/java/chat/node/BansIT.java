package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hardening 2, attack 7: a ban covered everyone behind the banned address (a NAT, a proxy without
 * the PROXY protocol, 127.0.0.1). Now a logged-in abuser bans its account, from every address, and
 * its neighbours on the same address keep chatting; an address is banned only for abuse before a
 * login, briefly, and never an address that stands for many (CHAT_LOGIN_IP_EXEMPT).
 */
class BansIT {
  static final int STRIKES = 5;
  static final int BURST = 20;
  static final int FLOOD = 60;
  static final long ACCOUNT_BAN_MS = 3000;
  static final long ADDRESS_BAN_MS = 1000;
  /** The shared address of the abuser and its neighbours, another of the abuser's, a flooder's, and an exempt one. */
  static final String SHARED = "127.0.0.5";
  static final String ELSEWHERE = "127.0.0.6";
  static final String FLOODER = "127.0.0.7";
  static final String EXEMPT = "127.0.0.9";
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("CHAT_REQUEST_RATE", BURST).put("CHAT_REQUEST_BURST", BURST).put("CHAT_STRIKES", STRIKES)
        .put("CHAT_BAN_MS", ACCOUNT_BAN_MS).put("CHAT_ADDRESS_BAN_MS", ADDRESS_BAN_MS)
        .put("CHAT_LOGIN_IP_EXEMPT", "127.0.0.1," + EXEMPT));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  /** A registered user, not logged in: its name and password for a login elsewhere. */
  private static V2Client account(String name) throws Exception {
    try (V2Client c = new V2Client(node.port).hello().register(ClassicClient.unique(name))) {
      return c;
    }
  }

  private static V2Client loggedIn(V2Client who, String from) throws Exception {
    V2Client c = V2Client.from(from, node.port).hello();
    c.user = who.user;
    c.name = who.name;
    c.password = who.password;
    c.login();
    return c;
  }

  private static JsonObject tryLogin(V2Client who, String from) throws Exception {
    try (V2Client c = V2Client.from(from, node.port).hello()) {
      return c.call(new JsonObject().put("type", "login").put("user", who.user).put("password", who.password));
    }
  }

  /** Sends {@code n} frames at once and reads until the node closes the connection: the codes of the frames without a reply id. */
  private static List<Integer> flood(V2Client c, String type, int n) throws Exception {
    try {
      for (int i = 0; i < n; i++) {
        c.sendRaw(new JsonObject().put("id", "f" + i).put("type", type).encode());
      }
    } catch (java.io.IOException closedMeanwhile) {
      // the node closed the connection while the flood was still being written
    }
    Poll.until("the flooder's connection closed", () -> c.closed);
    List<Integer> codes = new ArrayList<>();
    for (JsonObject f; (f = c.pollPush(200)) != null; ) {
      codes.add(f.getInteger("code", f.getInteger("errno", 0)));
    }
    return codes;
  }

  private static void chats(V2Client from, V2Client to, String text) throws Exception {
    from.send(to.user, "c" + System.nanoTime(), text);
    while (true) {
      JsonObject push = to.push();
      if ("msg".equals(push.getString("type")) && text.equals(push.getJsonObject("msg").getString("text"))) {
        return;
      }
    }
  }

  @Test
  void aLoggedInAbuserBansItsAccountNotItsNeighbours() throws Exception {
    V2Client abuser = account("abuser");
    V2Client neighbour = account("neighbour");
    V2Client newcomer = account("newcomer");
    try (V2Client friend = V2Client.online(node.port, "friend");
        V2Client near = loggedIn(neighbour, SHARED);
        V2Client evil = loggedIn(abuser, SHARED)) {
      List<Integer> codes = flood(evil, "ping", FLOOD);
      long bannedAt = System.nanoTime();
      long refused = codes.stream().filter(c -> c == 1015).count();
      System.out.printf("BansIT: a logged-in abuser on %s sent %d pings at once: %d refused 1015, then closed with %s%n",
          SHARED, FLOOD, refused, codes.get(codes.size() - 1));
      assertThat(refused).as("the abuse happened: strikes before the last").isEqualTo(STRIKES - 1);
      assertThat(codes.get(codes.size() - 1)).as("closed, banned: %s", codes).isEqualTo(1019);

      chats(near, friend, "the neighbour who was online still chats");
      try (V2Client fresh = loggedIn(newcomer, SHARED)) {
        chats(fresh, friend, "a new login from the same address chats");
      }
      JsonObject here = tryLogin(abuser, SHARED);
      JsonObject there = tryLogin(abuser, ELSEWHERE);
      assertThat(here.getInteger("code")).as("the abuser's account from its address: %s", here).isEqualTo(1019);
      assertThat(there.getInteger("code")).as("and from another: %s", there).isEqualTo(1019);

      long refusedLogins = 0;
      while (true) {
        JsonObject r = tryLogin(abuser, ELSEWHERE);
        if (r.getBoolean("ok", false)) {
          break;
        }
        assertThat(r.getInteger("code")).as("%s", r).isIn(1019, 1011);
        refusedLogins++;
        assertThat((System.nanoTime() - bannedAt) / 1_000_000).as("the ban ends").isLessThan(ACCOUNT_BAN_MS + 5000);
        Thread.sleep(100);
      }
      long backMs = (System.nanoTime() - bannedAt) / 1_000_000;
      System.out.printf("BansIT: neighbours on %s chatted during the ban; the abuser's account was refused 1019 %d times"
          + " (from %s and %s) and logged in again %d ms after its ban (CHAT_BAN_MS %d)%n",
          SHARED, refusedLogins + 2, SHARED, ELSEWHERE, backMs, ACCOUNT_BAN_MS);
      assertThat(backMs).as("not before the ban ends").isGreaterThanOrEqualTo(ACCOUNT_BAN_MS - 500);
    }
  }

  @Test
  void garbageBeforeALoginBansTheAddressBrieflyButNeverAnExemptOne() throws Exception {
    List<Integer> codes;
    try (V2Client evil = V2Client.from(FLOODER, node.port).hello()) {
      codes = flood(evil, "nonsense", FLOOD);
    }
    long bannedAt = System.nanoTime();
    assertThat(codes).as("the flood was refused").contains(1015);
    assertThat(codes.get(codes.size() - 1)).as("closed, banned: %s", codes).isEqualTo(1019);
    int refusedConnects = 0;
    long backMs;
    while (true) {
      backMs = (System.nanoTime() - bannedAt) / 1_000_000;
      try (V2Client again = V2Client.from(FLOODER, node.port)) {
        // a refused connection is told at once, unasked; an admitted one hears nothing until it speaks
        JsonObject refusal = again.pollPush(500);
        if (refusal == null && !again.closed) {
          again.hello();
          break;
        }
        assertThat(refusal).as("the refusal before the close").isNotNull();
        assertThat(refusal.getInteger("errno")).as("%s", refusal).isEqualTo(1019);
        refusedConnects++;
      }
      assertThat((System.nanoTime() - bannedAt) / 1_000_000).as("a short ban, shorter than an account's").isLessThan(ADDRESS_BAN_MS + 1500);
      Thread.sleep(100);
    }
    assertThat(refusedConnects).as("banned right after the flood").isPositive();

    List<Integer> exemptCodes;
    try (V2Client proxy = V2Client.from(EXEMPT, node.port).hello()) {
      exemptCodes = flood(proxy, "nonsense", FLOOD);
    }
    assertThat(exemptCodes.get(exemptCodes.size() - 1)).as("closed, not banned: %s", exemptCodes).isEqualTo(1015);
    try (V2Client behindTheProxy = V2Client.from(EXEMPT, node.port).hello().register(ClassicClient.unique("behind"))) {
      behindTheProxy.login();
    }
    System.out.printf("BansIT: %d junk frames before a login from %s: closed 1019, %d reconnects refused 1019, admitted again"
        + " %d ms later (CHAT_ADDRESS_BAN_MS %d); the same from exempt %s: closed 1015, the next client there logged in at once%n",
        FLOOD, FLOODER, refusedConnects, backMs, ADDRESS_BAN_MS, EXEMPT);
  }
}
