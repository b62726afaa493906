package chat.protocol;

/**
 * One CHAT_* setting: the name an operator sets (environment variable, key of the node's config
 * file, key of a split-mode file), its default, and for numbers the range a value must lie in.
 * The options records of gateway, chat and persistence declare theirs as constants, so every
 * default is written once, next to the option it belongs to.
 */
public record Setting(String name, Object fallback, long min, long max) {

  public static Setting number(String name, long fallback, long min, long max) {
    if (fallback < min || fallback > max) {
      throw new IllegalArgumentException(name + ": default " + fallback + " outside " + min + ".." + max);
    }
    return new Setting(name, fallback, min, max);
  }

  /** A number without a fixed default: unset, its reader derives one (from the heap size, say). */
  public static Setting derived(String name, long min, long max) {
    return new Setting(name, null, min, max);
  }

  /** Text; a null default means "unset", which each reader gives its own meaning. */
  public static Setting text(String name, String fallback) {
    return new Setting(name, fallback, 0, 0);
  }

  public static Setting flag(String name, boolean fallback) {
    return new Setting(name, fallback, 0, 1);
  }
}
