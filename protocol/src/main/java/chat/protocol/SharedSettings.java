package chat.protocol;

/** Settings that more than one verticle reads, declared once here. */
public final class SharedSettings {
  private SharedSettings() {}

  /** Name of this node in logs and session addresses; unset: the host name and the process id. */
  public static final Setting NODE_ID = Setting.text("CHAT_NODE_ID", null);

  /** Offline messages in the login ack (chat) and per later page (gateway). */
  public static final Setting OFFLINE_PAGE = Setting.number("CHAT_OFFLINE_PAGE", 500, 1, 10_000);

  /**
   * Addresses that stand for many clients (a proxy on this host that does not send the PROXY
   * protocol): exempt from chat's per-address login limits and from the gateway's address bans.
   * Loopback by default; Java writes ::1 in full.
   */
  public static final Setting LOGIN_IP_EXEMPT = Setting.text("CHAT_LOGIN_IP_EXEMPT", "127.0.0.1,::1,0:0:0:0:0:0:0:1");

  /** The largest frame any setting may allow (a frame, or a login ack's offline bytes). */
  public static final int FRAME_CAP = 16 * 1024 * 1024;

  public static String nodeId(Settings s) {
    String id = s.optionalText(NODE_ID);
    if (id != null) {
      return id;
    }
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "node" : host) + "-" + ProcessHandle.current().pid();
  }
}
