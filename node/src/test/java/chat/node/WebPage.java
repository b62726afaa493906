package chat.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in one headless chromium, as one user sees it: the page's own ids and data
 * attributes are the handles, the same ones a person would click. One browser per user.
 */
final class WebPage implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(15);

  final String label;
  final ChromeDriver driver;
  int user;
  String name;
  String password;

  /** Why the browser tests cannot run here, or null when they can. */
  static String whyNot() {
    if (!Files.isExecutable(CHROMIUM)) {
      return CHROMIUM + " is missing (apt-get install chromium chromium-driver; .ci/run does it)";
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      return CHROMEDRIVER + " is missing (apt-get install chromium-driver; .ci/run does it)";
    }
    return null;
  }

  WebPage(String label, int width, int height) {
    this.label = label;
    ChromeOptions options = new ChromeOptions();
    // Debian's binaries: Selenium Manager would try to download a browser, and there is no network
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=" + width + "," + height, "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    viewport(width, height);
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  <T> T until(String what, Function<WebDriver, T> condition) {
    // the page redraws its lists whole, so an element found a moment ago may be gone: look again
    return new WebDriverWait(driver, WAIT, Duration.ofMillis(50)).withMessage(label + ": " + what)
        .ignoring(StaleElementReferenceException.class).until(condition);
  }

  private WebElement visible(String css) {
    List<WebElement> es = all(css);
    return !es.isEmpty() && es.get(0).isDisplayed() ? es.get(0) : null;
  }

  void fill(String css, String text) {
    until(css + " filled", d -> {
      WebElement e = visible(css);
      if (e == null) {
        return null;
      }
      e.clear();
      e.sendKeys(text);
      return true;
    });
  }

  void click(String css) {
    until(css + " clicked", d -> {
      WebElement e = visible(css);
      if (e == null) {
        return null;
      }
      e.click();
      return true;
    });
  }

  /** Registers through the form (which logs in) and reads the new id from the header. */
  WebPage register(String userName, String pw) {
    fill("#register-name", userName);
    fill("#register-password", pw);
    click("#register-form button[type=submit]");
    String id = until("logged in", d -> {
      String t = text("#me-id");
      return t.startsWith("#") ? t : null;
    });
    user = Integer.parseInt(id.substring(1));
    name = userName;
    password = pw;
    return this;
  }

  void login(int id, String pw) {
    fill("#login-user", String.valueOf(id));
    fill("#login-password", pw);
    click("#login-form button[type=submit]");
    awaitOnline();
  }

  void addFriend(int id) {
    fill("#add-friend-id", String.valueOf(id));
    click("#add-friend-form button[type=submit]");
    until("request shown as asked", d -> visible("#requests li.outgoing[data-user='" + id + "']"));
  }

  void accept(int id) {
    click("#requests li.incoming[data-user='" + id + "'] button.accept");
    until("friend listed", d -> visible("#friends li[data-key='u:" + id + "']"));
  }

  /** The key of the conversation on screen ("u:ID", "g:ID"), or null. */
  String openKey() {
    return (String) js("const c = document.getElementById('conv'); return c.hidden ? null : c.dataset.key || null;");
  }

  int createGroup(String groupName) {
    fill("#create-group-name", groupName);
    click("#create-group-form button[type=submit]");
    String key = until("group open", d -> {
      String k = openKey();
      return k != null && k.startsWith("g:") && text("#conv-title").equals(groupName) ? k : null;
    });
    return Integer.parseInt(key.substring(2));
  }

  void joinGroup(int id) {
    fill("#join-group-id", String.valueOf(id));
    click("#join-group-form button[type=submit]");
    until("group open", d -> ("g:" + id).equals(openKey()));
  }

  /** Opens a conversation: "u:ID" or "g:ID". */
  void openConversation(String key) {
    click("li.item[data-key='" + key + "']");
    until(key + " open", d -> key.equals(openKey()) && find("#send-text").isDisplayed());
  }

  void send(String text) {
    fill("#send-text", text);
    click("#send-form button[type=submit]");
  }

  /** The text of an element, read in the page (so never stale). */
  String text(String css) {
    return (String) js("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
  }

  /** The texts of the open conversation, oldest first. */
  @SuppressWarnings("unchecked")
  List<String> texts() {
    return (List<String>) js("return [...document.querySelectorAll('#message-list li.msg .text')].map(e => e.textContent);");
  }

  void awaitText(String text) {
    until("message '" + text + "' shown", d -> texts().contains(text));
  }

  /** stored, delivered, read (or sending, failed) of the last own message with this text. */
  String status(String text) {
    return (String) js("const mine = [...document.querySelectorAll('#message-list li.msg.mine')]"
        + ".filter(m => m.querySelector('.text').textContent === arguments[0]);"
        + "const s = mine.length ? mine[mine.length - 1].querySelector('.status') : null;"
        + "return s ? s.dataset.status : null;", text);
  }

  void awaitStatus(String text, String status) {
    until("'" + text + "' " + status, d -> status.equals(status(text)));
  }

  int unread(String key) {
    Object n = js("const b = document.querySelector(\"li.item[data-key='\" + arguments[0] + \"'] .badge\");"
        + "return b ? Number(b.dataset.count) : 0;", key);
    return ((Number) n).intValue();
  }

  void awaitUnread(String key, int n) {
    until(key + " unread " + n, d -> unread(key) == n);
  }

  /** "on", "off" or "unknown": the dot by a friend's name. */
  String dot(int friend) {
    String cls = (String) js("const d = document.querySelector(\"#friends li[data-key='u:\" + arguments[0] + \"'] .dot\");"
        + "return d ? d.className : '';", friend);
    return cls.contains(" on") ? "on" : cls.contains(" off") ? "off" : "unknown";
  }

  String connection() {
    return (String) js("const c = document.getElementById('conn'); return c ? c.dataset.state : null;");
  }

  void awaitOnline() {
    until("connection online", d -> "online".equals(connection()) && find("#app").isDisplayed());
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Console errors and failed loads (a CSP violation shows up here). */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }

  /** The page's viewport, exactly (a window size would include the browser's own bars). */
  void viewport(int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException | RuntimeException e) {
      System.err.println("no screenshot of " + label + ": " + e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
