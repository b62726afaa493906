package chat.logic;

import chat.protocol.OptionsJson;
import chat.protocol.Setting;
import chat.protocol.Settings;
import chat.protocol.VerticleOptions;
import chat.protocol.SharedSettings;
import java.util.List;

/**
 * What the chat verticle takes. The node builds it from its CHAT_* settings ({@link #of}) and
 * deploys it as JSON ({@link #toJson}); the verticle reads it back with {@link #from}. Each
 * default is the one in the setting's constant below.
 */
public record ChatOptions(
    int bcryptCost,
    int offlinePage,
    String redisUrl,
    String nodeId,
    int hashQueue,
    int hashQueuePerIp,
    int loginRatePerIp,
    int loginBurstPerIp,
    int loginFreeFailures,
    int loginFreeFailuresPerIp,
    long loginBackoffMs,
    long loginBackoffMaxMs,
    int loginTracked,
    int loginAccountFreeFailures,
    long loginAccountDelayMs,
    int loginAccountDelayedMax,
    List<String> loginIpExempt,
    long tokenTtlMs,
    String tokenKey,
    long nodeTtlMs,
    int reapPage,
    int reapMaxUsers,
    int presenceMaxOpen,
    int friendRequestsPerHour,
    int strangerTypingPerMin,
    long pubsubRoundTripMs) implements VerticleOptions {

  static final Setting BCRYPT_COST = Setting.number("CHAT_BCRYPT_COST", 10, 4, 31);
  /** Unset: the node runs alone; set: it joins the nodes sharing this Redis and database. */
  static final Setting REDIS_URL = Setting.text("CHAT_REDIS_URL", null);
  static final Setting HASH_QUEUE = Setting.number("CHAT_HASH_QUEUE", 64, 1, 100_000);
  static final Setting HASH_QUEUE_PER_IP = Setting.number("CHAT_HASH_QUEUE_PER_IP", 4, 1, 100_000);
  static final Setting LOGIN_RATE_PER_IP = Setting.number("CHAT_LOGIN_RATE_PER_IP", 5, 1, 100_000);
  static final Setting LOGIN_BURST_PER_IP = Setting.number("CHAT_LOGIN_BURST_PER_IP", 20, 1, 100_000);
  static final Setting LOGIN_FREE_FAILURES = Setting.number("CHAT_LOGIN_FREE_FAILURES", 3, 1, 1000);
  static final Setting LOGIN_FREE_FAILURES_PER_IP = Setting.number("CHAT_LOGIN_FREE_FAILURES_PER_IP", 10, 1, 100_000);
  static final Setting LOGIN_BACKOFF_MS = Setting.number("CHAT_LOGIN_BACKOFF_MS", 1000, 1, 3_600_000);
  static final Setting LOGIN_BACKOFF_MAX_MS = Setting.number("CHAT_LOGIN_BACKOFF_MAX_MS", 300_000, 1, 86_400_000);
  static final Setting LOGIN_TRACKED = Setting.number("CHAT_LOGIN_TRACKED", 100_000, 100, 10_000_000);
  /** Failed logins of one account from all addresses within CHAT_LOGIN_BACKOFF_MAX_MS before new addresses are slowed. */
  static final Setting LOGIN_ACCOUNT_FREE_FAILURES = Setting.number("CHAT_LOGIN_ACCOUNT_FREE_FAILURES", 100, 1, 1_000_000);
  static final Setting LOGIN_ACCOUNT_DELAY_MS = Setting.number("CHAT_LOGIN_ACCOUNT_DELAY_MS", 1000, 0, 60_000);
  static final Setting LOGIN_ACCOUNT_DELAYED_MAX = Setting.number("CHAT_LOGIN_ACCOUNT_DELAYED_MAX", 16, 1, 10_000);
  /** A week; an int of milliseconds reaches 24 days, longer than a resume token should live. */
  static final Setting TOKEN_TTL_MS = Setting.number("CHAT_TOKEN_TTL_MS", 7L * 24 * 3600 * 1000, 1000, Integer.MAX_VALUE);
  /** Base64 of at least 32 bytes; unset: the key stored in the database. */
  static final Setting TOKEN_KEY = Setting.text("CHAT_TOKEN_KEY", null);
  /** How long a killed node's users still count as online; a lapse of this long reaps a node. */
  static final Setting NODE_TTL_MS = Setting.number("CHAT_NODE_TTL_MS", 5000, 500, 600_000);
  static final Setting REAP_PAGE = Setting.number("CHAT_REAP_PAGE", 100, 1, 10_000);
  static final Setting REAP_MAX_USERS = Setting.number("CHAT_REAP_MAX_USERS", 1000, 1, 1_000_000);
  static final Setting PRESENCE_MAX_OPEN = Setting.number("CHAT_PRESENCE_MAX_OPEN", 100_000, 1, 10_000_000);
  /** Friend requests (v2 requests and classic adds) per account per hour. */
  static final Setting FRIEND_REQUESTS_PER_HOUR = Setting.number("CHAT_FRIEND_REQUESTS_PER_HOUR", 50, 1, 1_000_000);
  /** Typing to users who have not added the sender, per account per minute (a conversation counts once per Typing.CHECK_TTL_MS). */
  static final Setting STRANGER_TYPING_PER_MIN = Setting.number("CHAT_STRANGER_TYPING_PER_MIN", 30, 1, 1_000_000);

  /**
   * With Redis: this node's own ping through pub/sub must come back within this, or the node is
   * not ready (a Redis that takes commands but delivers nothing looks up to the heartbeat).
   */
  static final Setting PUBSUB_ROUNDTRIP_MS = Setting.number("CHAT_PUBSUB_ROUNDTRIP_MS", 3000, 300, 600_000);

  /** Every setting this record reads, for the tests that hold each to one default. */
  public static final List<Setting> SETTINGS = List.of(
      BCRYPT_COST, SharedSettings.OFFLINE_PAGE, REDIS_URL, SharedSettings.NODE_ID, HASH_QUEUE, HASH_QUEUE_PER_IP,
      LOGIN_RATE_PER_IP, LOGIN_BURST_PER_IP, LOGIN_FREE_FAILURES, LOGIN_FREE_FAILURES_PER_IP, LOGIN_BACKOFF_MS,
      LOGIN_BACKOFF_MAX_MS, LOGIN_TRACKED, LOGIN_ACCOUNT_FREE_FAILURES, LOGIN_ACCOUNT_DELAY_MS, LOGIN_ACCOUNT_DELAYED_MAX,
      SharedSettings.LOGIN_IP_EXEMPT, TOKEN_TTL_MS, TOKEN_KEY, NODE_TTL_MS, REAP_PAGE,
      REAP_MAX_USERS, PRESENCE_MAX_OPEN, FRIEND_REQUESTS_PER_HOUR, STRANGER_TYPING_PER_MIN, PUBSUB_ROUNDTRIP_MS);

  /** Built from CHAT_* settings, each checked against its range; called by the node's config. */
  public static ChatOptions of(Settings s) {
    return new ChatOptions(
        s.integer(BCRYPT_COST),
        s.integer(SharedSettings.OFFLINE_PAGE),
        s.optionalText(REDIS_URL),
        SharedSettings.nodeId(s),
        s.integer(HASH_QUEUE),
        s.integer(HASH_QUEUE_PER_IP),
        s.integer(LOGIN_RATE_PER_IP),
        s.integer(LOGIN_BURST_PER_IP),
        s.integer(LOGIN_FREE_FAILURES),
        s.integer(LOGIN_FREE_FAILURES_PER_IP),
        s.number(LOGIN_BACKOFF_MS),
        s.number(LOGIN_BACKOFF_MAX_MS),
        s.integer(LOGIN_TRACKED),
        s.integer(LOGIN_ACCOUNT_FREE_FAILURES),
        s.number(LOGIN_ACCOUNT_DELAY_MS),
        s.integer(LOGIN_ACCOUNT_DELAYED_MAX),
        list(s.text(SharedSettings.LOGIN_IP_EXEMPT)),
        s.number(TOKEN_TTL_MS),
        s.optionalText(TOKEN_KEY),
        s.number(NODE_TTL_MS),
        s.integer(REAP_PAGE),
        s.integer(REAP_MAX_USERS),
        s.integer(PRESENCE_MAX_OPEN),
        s.integer(FRIEND_REQUESTS_PER_HOUR),
        s.integer(STRANGER_TYPING_PER_MIN),
        s.number(PUBSUB_ROUNDTRIP_MS));
  }

  public ChatOptions {
    // checked here so a bad key stops the node at start rather than at the first login
    tokenKeyBytes(tokenKey);
  }

  public static ChatOptions defaults() {
    return of(Settings.NONE);
  }

  LoginGuard.Limits loginLimits() {
    return new LoginGuard.Limits(loginRatePerIp, loginBurstPerIp, loginFreeFailures, loginFreeFailuresPerIp,
        loginBackoffMs, loginBackoffMaxMs, loginTracked, loginAccountFreeFailures, loginAccountDelayMs, loginAccountDelayedMax);
  }

  SpamLimits.Limits spamLimits() {
    return new SpamLimits.Limits(friendRequestsPerHour, strangerTypingPerMin);
  }

  /** The configured signing key, or null to use the one stored in the database. */
  byte[] tokenKeyBytes() {
    return tokenKeyBytes(tokenKey);
  }

  private static byte[] tokenKeyBytes(String key) {
    if (key == null || key.isBlank()) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(key.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(TOKEN_KEY.name() + " must be base64"); // never echo the key
    }
    if (bytes.length < Tokens.MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          TOKEN_KEY.name() + " must be at least " + Tokens.MIN_KEY_BYTES + " bytes, got " + bytes.length);
    }
    return bytes;
  }

  private static List<String> list(String commaSeparated) {
    return java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList();
  }
}
