package chat.protocol;

/**
 * Stable numeric error codes, used in error frames and as event-bus failure codes.
 * The numbers are part of the protocol: never renumber, never use ordinal().
 */
public enum ErrorCode {
  FRAME_TOO_LARGE(1001),
  BAD_JSON(1002),
  TOO_DEEP(1003),
  BAD_FIELD(1004),
  UNKNOWN_MSGID(1005),
  NOT_LOGGED_IN(1006),
  FORBIDDEN(1007),
  NOT_FOUND(1008),
  TOO_LONG(1009),
  BAD_CREDENTIALS(1010),
  ALREADY_ONLINE(1011),
  NAME_TAKEN(1012),
  INVALID_VALUE(1013),
  OVERLOADED(1014),
  /** Too many requests, messages, connections or logins in a short time; later ones are refused. */
  RATE_LIMITED(1015),
  /** The connection was idle, or a frame stayed unfinished, for too long. */
  TIMEOUT(1016),
  /** Too many connections on this node, or from one address. */
  TOO_MANY_CONNECTIONS(1017),
  /** A size cap was reached: group members, groups per user, outbound bytes. */
  LIMIT_REACHED(1018),
  /**
   * Banned for a while after too many refused requests: the account once logged in (its logins are
   * refused until the ban ends, from any address), or before a login the address.
   */
  BANNED(1019),
  INTERNAL(1500),
  UNAVAILABLE(1501),
  /**
   * A send whose COMMIT went to the database and got no answer in time: it may or may not be
   * stored. A resend with the same cmid learns which (the original's id, or stored now).
   */
  OUTCOME_UNKNOWN(1502);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Maps an event-bus failure code back; anything unknown (timeouts, no handler) is INTERNAL. */
  public static ErrorCode fromCode(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
