package chat.logic;

import java.nio.charset.StandardCharsets;

/** Checks on client-supplied text before it reaches the database. */
final class Validation {
  private Validation() {}

  /** 1..max code points, not blank, no control characters. */
  static boolean isName(String s, int maxChars) {
    if (s == null || s.isBlank() || s.codePointCount(0, s.length()) > maxChars) {
      return false;
    }
    return s.codePoints().noneMatch(Character::isISOControl);
  }

  static boolean isText(String s, int maxChars) {
    return s != null && s.codePointCount(0, s.length()) <= maxChars;
  }

  static boolean isPassword(String s, int maxBytes) {
    return s != null && !s.isEmpty() && s.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
  }
}
