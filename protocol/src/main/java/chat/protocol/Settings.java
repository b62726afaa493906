package chat.protocol;

import io.vertx.core.json.JsonObject;

/**
 * CHAT_* values by name (environment, config file, command line, or a split-mode file), read
 * through their {@link Setting}. A value that is not a number, or out of its range, stops the
 * reader with one line that names the setting, so a typo never starts a node on a default.
 */
public final class Settings {
  /** No values: every setting at its default. */
  public static final Settings NONE = new Settings(new JsonObject());

  private final JsonObject values;

  public Settings(JsonObject values) {
    this.values = values;
  }

  /** Set to something other than blank. */
  public boolean has(Setting s) {
    Object v = values.getValue(s.name());
    return v != null && !v.toString().isBlank();
  }

  public long number(Setting s) {
    if (!has(s)) {
      if (s.fallback() == null) {
        throw new IllegalStateException(s.name() + " has no default: ask has() first");
      }
      return ((Number) s.fallback()).longValue();
    }
    Object v = values.getValue(s.name());
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else {
      // environment variables arrive as strings; a file may hold 1.5, which is no count of anything
      try {
        n = Long.parseLong(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(s.name() + " must be a whole number, got '" + v + "'");
      }
    }
    if (n < s.min() || n > s.max()) {
      throw new IllegalArgumentException(s.name() + " must be " + s.min() + ".." + s.max() + ", got " + n);
    }
    return n;
  }

  public int integer(Setting s) {
    return Math.toIntExact(number(s));
  }

  /** The text as set (a blank one included), or the default when the name is absent. */
  public String text(Setting s) {
    Object v = values.getValue(s.name());
    return v == null ? (String) s.fallback() : v.toString();
  }

  /** Like {@link #text}, but blank counts as unset: for hosts, URLs and file names. */
  public String optionalText(Setting s) {
    return has(s) ? values.getValue(s.name()).toString().trim() : (String) s.fallback();
  }

  public boolean flag(Setting s) {
    if (!has(s)) {
      return (Boolean) s.fallback();
    }
    String v = values.getValue(s.name()).toString().trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    // Boolean.parseBoolean would read "yes" or "1" as false without a word
    throw new IllegalArgumentException(s.name() + " must be true or false, got '" + v + "'");
  }
}
