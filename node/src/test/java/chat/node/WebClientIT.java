package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web page in real headless chromium, one browser per user for the whole class: the cases
 * follow one another as a story (register, befriend, chat, group, offline, node restart), so
 * they share the users and run in order. The node runs in this JVM on fixed ports, so that it
 * can be restarted under the open pages. A failed case leaves each page's screenshot in
 * target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebClientIT {
  private static final Logger LOG = LoggerFactory.getLogger(WebClientIT.class);
  private static final String WHY_NOT = WebPage.whyNot();
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static int tcp;
  private static int http;
  private static Vertx vertx;
  private static Node node;
  private static WebPage alice;
  private static WebPage bob;
  private static int group;
  private static final List<String> aliceToBob = new ArrayList<>();

  @RegisterExtension
  static final TestWatcher SCREENSHOTS = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      for (WebPage p : new WebPage[] {alice, bob}) {
        if (p != null) {
          p.screenshot(SHOTS.resolve(context.getRequiredTestMethod().getName() + "-" + p.label + ".png"));
        }
      }
    }
  };

  @BeforeAll
  static void start() throws Exception {
    if (WHY_NOT != null) {
      LOG.warn("browser tests skipped: {}", WHY_NOT);
      return;
    }
    tcp = TestNode.freePort();
    http = TestNode.freePort();
    startNode();
    alice = new WebPage("alice", 1280, 800);
    bob = new WebPage("bob", 1280, 800);
    alice.open(url());
    bob.open(url());
  }

  /** Each case reported as skipped, with the reason, rather than a class that silently ran nothing. */
  @BeforeEach
  void browserPresent() {
    Assumptions.assumeTrue(WHY_NOT == null, () -> "browser tests skipped: " + WHY_NOT);
  }

  @AfterAll
  static void stop() throws Exception {
    for (WebPage p : new WebPage[] {alice, bob}) {
      if (p != null) {
        p.close();
      }
    }
    if (node != null) {
      stopNode();
    }
  }

  private static String url() {
    return "http://127.0.0.1:" + http + "/";
  }

  private static void startNode() throws Exception {
    NodeConfig config = NodeConfig.from(TestDatabase.get().nodeSettings(tcp).put("CHAT_HTTP_PORT", http));
    vertx = Vertx.vertx();
    node = Node.start(vertx, config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static void stopNode() throws Exception {
    node.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    node = null;
  }

  private static String with(WebPage p) {
    return "u:" + p.user;
  }

  /** Alice writes to Bob and remembers it, for the check that nothing went missing or doubled. */
  private static void aliceSays(String text) {
    alice.send(text);
    aliceToBob.add(text);
  }

  @Test
  @Order(1)
  void twoUsersRegisterBefriendAndChatBothWaysWithReceipts() {
    alice.register(unique("alice"), "alice-pw-1");
    bob.register(unique("bob"), "bob-pw-1");
    alice.addFriend(bob.user);
    bob.until("Alice's request", d -> !bob.all("#requests li.incoming[data-user='" + alice.user + "']").isEmpty());
    bob.accept(alice.user);
    alice.until("Bob a friend", d -> !alice.all("#friends li[data-key='" + with(bob) + "']").isEmpty());
    assertThat(alice.dot(bob.user)).as("Bob just accepted: online").isEqualTo("on");

    alice.openConversation(with(bob));
    aliceSays("你好 Bob 😀");
    bob.awaitUnread(with(alice), 1);
    alice.awaitStatus("你好 Bob 😀", "delivered");
    bob.openConversation(with(alice));
    bob.awaitText("你好 Bob 😀");
    alice.awaitStatus("你好 Bob 😀", "read");
    assertThat(bob.unread(with(alice))).isZero();

    bob.fill("#send-text", "hi Alice");
    alice.until("typing shown", d -> alice.text("#typing").equals(bob.name + " is typing…"));
    bob.send("hi Alice, 收到了 👍");
    alice.awaitText("hi Alice, 收到了 👍");
    alice.until("typing gone with the message", d -> alice.text("#typing").isEmpty());
    bob.awaitStatus("hi Alice, 收到了 👍", "read");
  }

  @Test
  @Order(2)
  void aGroupWhereAClassicTcpClientAndATerminalClientJoinTheConversation() throws Exception {
    group = alice.createGroup(unique("team"));
    bob.joinGroup(group);
    bob.send("hello group");
    alice.awaitText("hello group");

    try (ClassicClient classic = new ClassicClient("127.0.0.1", tcp)) {
      classic.register(unique("classic"));
      classic.loginOk();
      Poll.joinGroup(classic, group);
      classic.groupChat(group, "classic here 你好");
      alice.awaitText("classic here 你好");
      bob.awaitText("classic here 你好");
      assertThat((String) alice.js("return [...document.querySelectorAll('#message-list li.msg .who')].pop().textContent;"))
          .as("named in the group").isEqualTo(classic.name);

      alice.send("welcome, classic");
      JsonObject frame = classic.next();
      assertThat(frame.getString("msg")).isEqualTo("welcome, classic");
      assertThat(frame.getInteger("groupid")).isEqualTo(group);

      alice.click("#members-toggle");
      alice.until("three members", d -> alice.all("#members li.member").size() == 3);
      assertThat(alice.js("return document.querySelector(\"#members li[data-user='\" + arguments[0] + \"']\").dataset.role;", alice.user))
          .isEqualTo("owner");
      assertThat(alice.js("return document.querySelector(\"#members li[data-user='\" + arguments[0] + \"']\").dataset.role;", classic.id))
          .isEqualTo("member");

      classic.chat(bob.user, "a classic 1:1 to Bob");
      bob.until("a chat with the classic user", d -> bob.unread("u:" + classic.id) == 1);
      assertThat(bob.text("#others li[data-key='u:" + classic.id + "'] .name")).isEqualTo(classic.name);

      // the terminal client (v2) joins too: browser, classic and terminal in one conversation
      try (TerminalClientIT.Typist terminal = new TerminalClientIT.Typist(tcp, false)) {
        String name = unique("term");
        terminal.type("2", name, "term-pw");
        String id = terminal.await(name + " register success, userid is (\\d+)");
        terminal.type("1", id, "term-pw");
        terminal.await("current login user => id:" + id);
        terminal.type("addgroup:" + group);
        terminal.await("joined group " + group);
        terminal.type("groupchat:" + group + ":terminal here 终端");
        alice.awaitText("terminal here 终端");
        bob.awaitText("terminal here 终端");
        assertThat(classic.next().getString("msg")).isEqualTo("terminal here 终端");
        alice.send("welcome, terminal");
        terminal.await("said: welcome, terminal");
        assertThat(classic.next().getString("msg")).isEqualTo("welcome, terminal");
        classic.groupChat(group, "classic to all three");
        terminal.await("said: classic to all three");
        alice.awaitText("classic to all three");
      }
    }
  }

  @Test
  @Order(3)
  void markupInAMessageIsShownAsText() {
    alice.openConversation(with(bob));
    String markup = "<img src=x onerror=alert(1)>";
    aliceSays(markup);
    bob.openConversation(with(alice));
    bob.awaitText(markup);
    assertThat(bob.all("#message-list img")).isEmpty();
    assertThat((String) bob.js("return document.getElementById('message-list').innerHTML;"))
        .contains("&lt;img src=x onerror=alert(1)&gt;");
    try {
      bob.driver.switchTo().alert();
      throw new AssertionError("the markup ran: an alert is open");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  @Test
  @Order(4)
  void messagesWhileAwayAreUnreadExactlyOnceOnReturn() {
    bob.openConversation("g:" + group);
    bob.open("about:blank");
    alice.until("Bob offline", d -> alice.dot(bob.user).equals("off"));
    for (int i = 1; i <= 3; i++) {
      aliceSays("while you were away " + i);
    }
    alice.awaitStatus("while you were away 3", "stored");

    bob.open(url()); // the same tab: its session storage keeps the login
    bob.awaitOnline();
    bob.awaitUnread(with(alice), 3);
    alice.until("Bob back", d -> alice.dot(bob.user).equals("on"));
    assertThat(bob.openKey()).as("the open conversation restored").isEqualTo("g:" + group);
    bob.openConversation(with(alice));
    bob.awaitText("while you were away 3");
    assertThat(bob.texts()).as("each once, in order").containsSubsequence(aliceToBob).doesNotHaveDuplicates();
    bob.awaitUnread(with(alice), 0);
    alice.awaitStatus("while you were away 3", "read");
  }

  @Test
  @Order(5)
  void afterANodeRestartBothPagesReconnectWithNothingLostOrDoubled() throws Exception {
    bob.openConversation("g:" + group); // so Alice's next messages count as unread for him
    stopNode();
    alice.until("offline shown", d -> alice.connection().equals("offline"));
    bob.until("offline shown", d -> bob.connection().equals("offline"));
    aliceSays("typed while the node was down");
    alice.awaitStatus("typed while the node was down", "sending"); // rendered a moment after the click

    startNode();
    alice.awaitOnline();
    bob.awaitOnline();
    alice.awaitStatus("typed while the node was down", "delivered");
    aliceSays("after the restart");
    bob.awaitUnread(with(alice), 2);
    bob.openConversation(with(alice));
    bob.awaitText("after the restart");
    assertThat(bob.texts()).containsSubsequence(aliceToBob).doesNotHaveDuplicates();
    assertThat(alice.texts()).doesNotHaveDuplicates();
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ? AND body = ?", alice.user,
        "typed while the node was down")).as("stored once").isEqualTo(1);

    bob.send("back after the restart");
    alice.awaitText("back after the restart");

    alice.driver.navigate().refresh();
    alice.awaitOnline();
    alice.awaitText("back after the restart");
    assertThat(alice.openKey()).as("a reload keeps the open conversation").isEqualTo(with(bob));
    assertThat(alice.texts()).as("a reload shows nothing twice").containsSubsequence(aliceToBob).doesNotHaveDuplicates();
    assertThat(alice.unread("g:" + group)).as("what the server counts").isZero();
  }

  @Test
  @Order(6)
  void aLongConversationOpensAtItsNewestPageAndPagesBackOnScroll() throws Exception {
    bob.openConversation("g:" + group);
    List<String> sent = new ArrayList<>();
    try (V2Client v2 = V2Client.online(tcp, "pager")) {
      for (int i = 1; i <= 70; i++) {
        sent.add("page test " + i);
        v2.send(bob.user, unique("c"), "page test " + i);
      }
      String key = "u:" + v2.user;
      bob.awaitUnread(key, 70);
      bob.openConversation(key);
      bob.awaitText("page test 70");
      assertThat(bob.texts()).as("the newest page").hasSize(50).isEqualTo(sent.subList(20, 70));
      bob.js("const m = document.getElementById('messages'); m.scrollTop = 0; m.dispatchEvent(new Event('scroll'));");
      bob.until("the older page", d -> bob.texts().size() == 70);
      assertThat(bob.texts()).isEqualTo(sent);
      bob.awaitUnread(key, 0);
    }
  }

  @Test
  @Order(7)
  void atPhoneWidthTheListAndTheConversationTakeTurns() {
    bob.viewport(390, 844);
    try {
      bob.click("#back");
      bob.until("the list", d -> bob.find(".side").isDisplayed() && !bob.find("#pane").isDisplayed());
      bob.openConversation(with(alice));
      bob.until("the conversation", d -> !bob.find(".side").isDisplayed() && bob.find("#send-text").isDisplayed());
      bob.send("from a phone");
      alice.awaitText("from a phone");
    } finally {
      bob.viewport(1280, 800);
    }
  }

  @Test
  @Order(8)
  void noScriptErrorsOrPolicyViolations() {
    for (WebPage p : new WebPage[] {alice, bob}) {
      // failed WebSocket connects while the node was down are the point of case 5, not errors
      assertThat(p.consoleErrors()).as(p.label).allMatch(e -> e.contains("WebSocket connection to"));
      assertThat(p.all("script:not([src])")).as("no inline script").isEmpty();
    }
    assertThat(alice.driver.findElements(By.cssSelector("[style]"))).as("no inline style").isEmpty();
  }
}
