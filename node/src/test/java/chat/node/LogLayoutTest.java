package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLayoutTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("chat.gateway.Session");

  private LogLayout layout(String format) {
    return layout(format, "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger - %msg%n");
  }

  private LogLayout layout(String format, String pattern) {
    LogLayout layout = new LogLayout();
    layout.setContext(context);
    layout.setPattern(pattern);
    layout.setFormat(format);
    layout.start();
    return layout;
  }

  private LoggingEvent event(String message, Throwable error, Object... args) {
    LoggingEvent e = new LoggingEvent("fqcn", logger, Level.WARN, message, error, args);
    e.setTimeStamp(1_700_000_000_800L); // a whole tenth: its zeros are kept
    e.setMDCPropertyMap(Map.of("user", "42"));
    return e;
  }

  @Test
  void jsonLinesCarryTimeWithZoneLevelLoggerNodeAndMessage() {
    context.putProperty(LogLayout.NODE_PROPERTY, "n1");
    String line = layout("json").doLayout(event("user {} \"quoted\"\nnext", null, 42));
    assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n" + "next");
    JsonObject o = new JsonObject(line.strip());
    assertThat(OffsetDateTime.parse(o.getString("time"))).isNotNull();
    assertThat(o.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)");
    assertThat(o.getString("level")).isEqualTo("WARN");
    assertThat(o.getString("logger")).isEqualTo("chat.gateway.Session");
    assertThat(o.getString("node")).isEqualTo("n1");
    assertThat(o.getString("user")).isEqualTo("42");
    assertThat(o.getString("message")).isEqualTo("user 42 \"quoted\"\nnext");
    assertThat(o.containsKey("error")).isFalse();
  }

  @Test
  void aStackTraceIsOneFieldOfTheSameLine() {
    String line = layout("JSON").doLayout(event("failed", new IllegalStateException("boom")));
    assertThat(line.strip()).doesNotContain("\n");
    assertThat(new JsonObject(line).getString("error")).contains("IllegalStateException: boom", "at chat.node.LogLayoutTest");
  }

  @Test
  void beforeTheSettingsAreReadTheNodeIsStillNamed() {
    assertThat(new JsonObject(layout("json").doLayout(event("early", null))).getString("node")).isNotBlank();
  }

  @Test
  void keyValuePairsAreFieldsInJsonAndFollowTheMessageInText() throws Exception {
    String xml = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/logback.xml"));
    String pattern = xml.substring(xml.indexOf("<pattern>") + 9, xml.indexOf("</pattern>"));
    LoggingEvent e = new LoggingEvent("fqcn", logger, Level.INFO, "connection closed", null, null);
    e.setMDCPropertyMap(Map.of());
    e.addKeyValuePair(new org.slf4j.event.KeyValuePair("remote", "10.0.0.1"));
    e.addKeyValuePair(new org.slf4j.event.KeyValuePair("user", 42));
    e.addKeyValuePair(new org.slf4j.event.KeyValuePair("reason", "peer closed"));
    JsonObject o = new JsonObject(layout("json").doLayout(e));
    assertThat(o.getString("remote")).isEqualTo("10.0.0.1");
    assertThat(o.getString("user")).isEqualTo("42");
    assertThat(o.getString("reason")).isEqualTo("peer closed");
    LogLayout text = layout("text", pattern);
    assertThat(text.doLayout(e)).endsWith(" - connection closed remote=\"10.0.0.1\" user=\"42\" reason=\"peer closed\"" + System.lineSeparator());
    assertThat(text.doLayout(event("hello", null))).as("no blank for no pairs").endsWith(" - hello" + System.lineSeparator());
  }

  @Test
  void textGivesTheDateAndZone() {
    // anything but json is text: the line that rejects a bad CHAT_LOG_FORMAT must still be written
    for (String format : new String[] {"text", "xml"}) {
      String line = layout(format).doLayout(event("hello", null));
      assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  chat.gateway.Session - hello\\R");
    }
  }
}
