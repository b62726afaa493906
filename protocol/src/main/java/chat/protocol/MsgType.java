package chat.protocol;

/** Classic message types. The numbers are fixed by the classic wire protocol. */
public enum MsgType {
  LOGIN(1),
  LOGIN_ACK(2),
  LOGOUT(3),
  REG(4),
  REG_ACK(5),
  ONE_CHAT(6),
  ADD_FRIEND(7),
  CREATE_GROUP(8),
  ADD_GROUP(9),
  GROUP_CHAT(10),
  /** Our addition: the error frame. Classic clients ignore msgids they do not know. */
  ERROR(99),
  UNKNOWN(-1);

  private final int code;

  MsgType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static MsgType fromCode(int code) {
    for (MsgType t : values()) {
      if (t.code == code && t != UNKNOWN) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
