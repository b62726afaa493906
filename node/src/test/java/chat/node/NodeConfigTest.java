package chat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.gateway.GatewayOptions;
import chat.logic.ChatOptions;
import chat.persistence.DbSettings;
import chat.protocol.Setting;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One vocabulary: CHAT_* settings, one default each, checked once, and options that survive their JSON. */
class NodeConfigTest {

  static List<Setting> allSettings() {
    List<Setting> all = new ArrayList<>(NodeConfig.SETTINGS);
    all.addAll(GatewayOptions.SETTINGS);
    all.addAll(ChatOptions.SETTINGS);
    all.addAll(DbSettings.SETTINGS);
    return all;
  }

  static Stream<Setting> numbers() {
    return allSettings().stream().filter(s -> s.max() > 1).distinct();
  }

  @Test
  void everySettingIsDeclaredOnceWithOneDefault() {
    // a name shared by two records (CHAT_NODE_ID, CHAT_OFFLINE_PAGE) must be the same constant
    Map<String, Setting> byName = new java.util.HashMap<>();
    Map<Setting, Boolean> seen = new IdentityHashMap<>();
    for (Setting s : allSettings()) {
      assertThat(s.name()).matches("CHAT_[A-Z0-9_]+");
      Setting first = byName.putIfAbsent(s.name(), s);
      assertThat(first == null || first == s).as(s.name() + " declared twice").isTrue();
      seen.put(s, true);
    }
    assertThat(byName).hasSize(seen.size()).hasSizeGreaterThan(60);
  }

  @Test
  void unsetSettingsGiveTheRecordsOwnDefaults() {
    NodeConfig c = NodeConfig.from(new JsonObject());
    assertThat(c.chat()).isEqualTo(ChatOptions.defaults()).isEqualTo(chat.protocol.OptionsJson.read(ChatOptions.class, new JsonObject(), ChatOptions.defaults()));
    assertThat(c.gateway()).isEqualTo(GatewayOptions.defaults()).isEqualTo(GatewayOptions.from(new JsonObject()));
    assertThat(c.persistence()).isEqualTo(DbSettings.defaults()).isEqualTo(chat.protocol.OptionsJson.read(DbSettings.class, new JsonObject(), DbSettings.defaults()));
    // the offline page once, for both readers; the documented defaults unchanged
    assertThat(c.chat().offlinePage()).isEqualTo(c.gateway().offlinePage()).isEqualTo(500);
    assertThat(c.gateway().port()).isEqualTo(6000);
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.chat().bcryptCost()).isEqualTo(10);
    assertThat(c.persistence().poolSize()).isEqualTo(8);
    assertThat(c.persistence().host()).isNull();
    assertThat(c.embeddedDb()).isTrue();
    assertThat(c.chat().nodeId()).isEqualTo(c.gateway().nodeId()).isEqualTo(c.nodeId());
  }

  @Test
  void optionsSurviveTheirJson() {
    JsonObject settings = new JsonObject()
        .put("CHAT_NODE_ID", "n7")
        .put("CHAT_OFFLINE_PAGE", "42")
        .put("CHAT_TCP_PORT", 7000)
        .put("CHAT_NODE_INBOUND_MB", "3")
        .put("CHAT_CONNECT_RATE_PER_IP", "7")
        .put("CHAT_WEB_ORIGINS", "https://a.example, https://b.example")
        .put("CHAT_PROXY_PROTOCOL", "TRUE")
        .put("CHAT_REDIS_URL", "redis://127.0.0.1:6379")
        .put("CHAT_LOGIN_IP_EXEMPT", "10.0.0.1")
        .put("CHAT_TOKEN_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]))
        .put("CHAT_DB_HOST", "db.example")
        .put("CHAT_DB_PASSWORD", " spaced ")
        .put("CHAT_DEDUP_WINDOW_MS", Integer.MAX_VALUE);
    NodeConfig c = NodeConfig.from(settings);
    // through text, as a deployment config crosses a cluster or sits in a file
    GatewayOptions gateway = c.gateway().withHttpPort(8081);
    assertThat(GatewayOptions.from(new JsonObject(gateway.toJson().encode()))).isEqualTo(gateway);
    assertThat(chat.protocol.OptionsJson.read(ChatOptions.class, new JsonObject(c.chat().toJson().encode()), ChatOptions.defaults())).isEqualTo(c.chat());
    assertThat(chat.protocol.OptionsJson.read(DbSettings.class, new JsonObject(c.persistence().toJson().encode()), DbSettings.defaults())).isEqualTo(c.persistence());

    assertThat(gateway.nodeInboundBytes()).isEqualTo(3L << 20);
    assertThat(gateway.webOrigins()).containsExactly("https://a.example", "https://b.example");
    assertThat(gateway.proxyProtocol()).isTrue();
    assertThat(gateway.httpPort()).isEqualTo(8081);
    assertThat(c.chat().offlinePage()).isEqualTo(42);
    assertThat(c.chat().loginIpExempt()).containsExactly("10.0.0.1");
    assertThat(c.persistence().password()).isEqualTo(" spaced ");
  }

  @Test
  void aVerticleConfigWithSettingNamesIsRefused() {
    // CHAT_* names go to the node; a verticle that silently ignored them would run on defaults
    assertThatThrownBy(() -> chat.protocol.OptionsJson.read(ChatOptions.class, new JsonObject().put("CHAT_OFFLINE_PAGE", 5), ChatOptions.defaults()))
        .hasMessage("ChatOptions: unknown key 'CHAT_OFFLINE_PAGE'");
    assertThatThrownBy(() -> GatewayOptions.from(new JsonObject().put("port", "six")))
        .hasMessageContaining("'port' must be of type int");
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void everyNumberIsCheckedByName(Setting s) {
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put(s.name(), "12x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(s.name() + " must be a whole number, got '12x'");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put(s.name(), String.valueOf(s.min() - 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(s.name() + " must be " + s.min() + ".." + s.max() + ", got " + (s.min() - 1));
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put(s.name(), s.max() + 1)))
        .hasMessageStartingWith(s.name() + " must be ");
  }

  @Test
  void otherBadValuesNameTheirSetting() {
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_OFFLINE_PAGE", "-5")))
        .hasMessage("CHAT_OFFLINE_PAGE must be 1..10000, got -5");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_STORE_QUEUE", 1.5)))
        .hasMessage("CHAT_STORE_QUEUE must be a whole number, got '1.5'");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_CLUSTER", "yes")))
        .hasMessage("CHAT_CLUSTER must be true or false, got 'yes'");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_ROLES", "gateway,web")))
        .hasMessageStartingWith("CHAT_ROLES: unknown role 'web'");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_LOG_FORMAT", "xml")))
        .hasMessage("CHAT_LOG_FORMAT must be text or json, got 'xml'");
    assertThat(NodeConfig.from(new JsonObject().put("CHAT_LOG_FORMAT", " JSON")).logFormat()).isEqualTo("json");
    assertThat(NodeConfig.from(new JsonObject()).logFormat()).isEqualTo("text");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_TLS_CERT", "/etc/cert.pem")))
        .hasMessage("CHAT_TLS_CERT and CHAT_TLS_KEY go together (PEM files)");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_TOKEN_KEY", "c2VjcmV0")))
        .hasMessage("CHAT_TOKEN_KEY must be at least 32 bytes, got 6");
    assertThatThrownBy(() -> NodeConfig.from(new JsonObject().put("CHAT_TOKEN_KEY", "not base64 at all!")))
        .hasMessage("CHAT_TOKEN_KEY must be base64");
  }

  @Test
  void theEmbeddedServerChangesWhereTheDatabaseIsAndNothingElse() {
    NodeConfig c = NodeConfig.from(new JsonObject().put("CHAT_DB_POOL_SIZE", 3).put("CHAT_DB_NAME", "mine"));
    DbSettings db = c.withDatabase("127.0.0.1", 3307, "root", "").persistence();
    assertThat(db.host()).isEqualTo("127.0.0.1");
    assertThat(db.port()).isEqualTo(3307);
    assertThat(db.user()).isEqualTo("root");
    assertThat(db.password()).isEmpty();
    assertThat(db.poolSize()).isEqualTo(3);
    assertThat(db.database()).isEqualTo("mine");
  }
}
