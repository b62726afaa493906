package chat.node;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import chat.protocol.Settings;
import chat.protocol.SharedSettings;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The node's log lines: text (logback's pattern) or, with CHAT_LOG_FORMAT=json, one JSON object a
 * line with the time and its zone, level, logger, thread, node, message, the MDC and key-value
 * fields, and a stack trace as one string. Logback's own JsonEncoder writes the time as epoch
 * milliseconds only, which no reader takes for a date.
 *
 * <p>logback.xml gives the format from the environment; {@link #apply} sets it again once the
 * node's settings are read (a config file may set it too) and names the node. Any value but
 * "json" reads as text here, so the one line that rejects a bad value is still printed.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {
  static final String NODE_PROPERTY = "CHAT_NODE";
  /** ISO 8601 with the offset, always three digits of milliseconds (ISO_OFFSET_DATE_TIME drops trailing zeros). */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

  private final PatternLayout text = new PatternLayout();
  private volatile boolean json;

  public void setPattern(String pattern) {
    text.setPattern(pattern);
  }

  public void setFormat(String format) {
    json = "json".equals(format.trim().toLowerCase(Locale.ROOT));
  }

  @Override
  public void start() {
    text.setContext(getContext());
    text.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return json ? json(event) + System.lineSeparator() : text.doLayout(event);
  }

  String json(ILoggingEvent event) {
    JsonObject line = new JsonObject()
        .put("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
        .put("level", event.getLevel().toString())
        .put("logger", event.getLoggerName())
        .put("thread", event.getThreadName())
        .put("node", node());
    event.getMDCPropertyMap().forEach(line::put);
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        line.put(kv.key, String.valueOf(kv.value));
      }
    }
    line.put("message", event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      line.put("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    return line.encode();
  }

  private String node() {
    String node = getContext() == null ? null : getContext().getProperty(NODE_PROPERTY);
    // before the settings are read: what they will say unless a file or option names the node
    return node != null ? node : SharedSettings.nodeId(new Settings(new JsonObject(new java.util.HashMap<>(System.getenv()))));
  }

  /** The format and node id from the node's settings, for every appender that writes through this layout. */
  static void apply(String format, String nodeId) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J binding (tests of other modules): its own configuration rules
    }
    context.putProperty(NODE_PROPERTY, nodeId);
    for (Iterator<Appender<ILoggingEvent>> it = context.getLogger("ROOT").iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ch.qos.logback.core.OutputStreamAppender<ILoggingEvent> out
          && out.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
          && encoder.getLayout() instanceof LogLayout layout) {
        layout.setFormat(format);
      }
    }
  }
}
