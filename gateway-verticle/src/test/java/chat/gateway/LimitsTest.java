package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private ConnectionGuard guard(JsonObject limits) {
    return new ConnectionGuard(GatewayOptions.from(limits), now::get);
  }

  private void advanceMs(long ms) {
    now.addAndGet(ms * 1_000_000L);
  }

  @Test
  void aBucketGivesItsBurstThenItsRate() {
    TokenBucket b = new TokenBucket(10, 3, now.get());
    assertThat(b.take(now.get())).isTrue();
    assertThat(b.take(now.get())).isTrue();
    assertThat(b.take(now.get())).isTrue();
    assertThat(b.take(now.get())).isFalse();
    advanceMs(100);
    assertThat(b.take(now.get())).isTrue();
    assertThat(b.take(now.get())).isFalse();
    advanceMs(10_000);
    assertThat(b.full(now.get())).isTrue();
  }

  @Test
  void connectionsAreCappedPerAddressAndPerNode() {
    ConnectionGuard g = guard(new JsonObject().put("maxConnections", 3).put("maxConnectionsPerIp", 2));
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.ADDRESS_FULL);
    assertThat(g.admit("b")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("c")).isEqualTo(ConnectionGuard.Refusal.NODE_FULL);
    g.release("a");
    assertThat(g.admit("c")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.connections()).isEqualTo(3);
  }

  @Test
  void httpConnectionsAreCappedAndRateLimitedPerPeerBeforeTheNodeCap() {
    ConnectionGuard g = guard(new JsonObject().put("maxConnections", 5).put("httpMaxConnectionsPerIp", 2)
        .put("httpConnectRatePerIp", 1.0).put("httpConnectBurstPerIp", 3).put("trustedProxies", new io.vertx.core.json.JsonArray().add("p")));
    assertThat(g.openHttp("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("a")).isEqualTo(ConnectionGuard.Refusal.ADDRESS_FULL);
    assertThat(g.openHttp("a")).as("the burst is spent").isEqualTo(ConnectionGuard.Refusal.TOO_FAST);
    g.closeHttp("a");
    assertThat(g.openHttp("a")).as("room, but no token yet").isEqualTo(ConnectionGuard.Refusal.TOO_FAST);
    advanceMs(1000);
    assertThat(g.openHttp("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.httpConnections()).as("one address holds its own cap, not the node's").isEqualTo(2);
    // a trusted proxy speaks for many clients: only the node's cap counts it
    assertThat(g.openHttp("p")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("p")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("p")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("b")).isEqualTo(ConnectionGuard.Refusal.NODE_FULL);
    g.closeHttp("p");
    assertThat(g.openHttp("b")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.connections()).as("chat connections are counted apart").isZero();
    g.closeHttp("a");
    g.closeHttp("a");
    g.closeHttp("b");
    advanceMs(10_000);
    g.sweep();
    assertThat(g.trackedAddresses()).as("forgotten once closed and refilled").isZero();
  }

  @Test
  void newConnectionsPerAddressAreRateLimitedAndBansExpire() {
    ConnectionGuard g = guard(new JsonObject().put("connectRatePerIp", 1.0).put("connectBurstPerIp", 2)
        .put("banMs", 5000L).put("addressBanMs", 5000L));
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.TOO_FAST);
    advanceMs(1000);
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    g.bans().banAddress("a");
    advanceMs(4000);
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.BANNED);
    advanceMs(1001);
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    g.bans().banAccount(7);
    assertThat(g.bans().accountLeftMs(7)).isPositive();
    advanceMs(5001);
    assertThat(g.bans().accountLeftMs(7)).isZero();
  }

  @Test
  void theTableOfAddressesIsBoundedAndSwept() {
    ConnectionGuard g = guard(new JsonObject().put("maxTrackedAddresses", 2).put("connectBurstPerIp", 1).put("connectRatePerIp", 1.0));
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("b")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("c")).isEqualTo(ConnectionGuard.Refusal.NODE_FULL);
    g.release("a");
    g.release("b");
    advanceMs(2000);
    g.sweep();
    assertThat(g.trackedAddresses()).isZero();
    assertThat(g.admit("c")).isEqualTo(ConnectionGuard.Refusal.NONE);
  }

  @Test
  void theNodeSaysWhenItRefusesEveryNewConnection() {
    ConnectionGuard g = guard(new JsonObject().put("maxConnections", 2).put("maxPreLogin", 1));
    assertThat(g.refusing()).isNull();
    assertThat(g.admit("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("b")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.admit("c")).isEqualTo(ConnectionGuard.Refusal.NODE_FULL);
    assertThat(g.refusing()).isEqualTo("full: 2 connections, the cap is 2");
    g.release("b");
    assertThat(g.refusing()).as("admits again").isNull();

    // the share of connections without a login: full is not refusing while one can be evicted
    assertThat(g.preLogin().enter("a")).isEqualTo(PreLoginShare.Result.ENTERED);
    assertThat(g.preLogin().enter("c")).isEqualTo(PreLoginShare.Result.SHARE_FULL);
    assertThat(g.refusing()).isNull();
    g.preLogin().blocked(); // none could be evicted
    assertThat(g.refusing()).isEqualTo("full: 1 connections without a login, none of them idle");
    g.preLogin().leave("a");
    assertThat(g.refusing()).as("room again").isNull();
    assertThat(g.preLogin().enter("c")).isEqualTo(PreLoginShare.Result.ENTERED);
    assertThat(g.refusing()).as("an entry clears the block").isNull();
  }

  @Test
  void aFullWebPortIsRefusingToo() {
    ConnectionGuard g = guard(new JsonObject().put("maxConnections", 1));
    assertThat(g.openHttp("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.refusing()).startsWith("full: 1 connections to the web port");
    g.closeHttp("a");
    assertThat(g.refusing()).isNull();
  }

  @Test
  void byteBudgetsAreNodeWide() {
    ConnectionGuard g = guard(new JsonObject().put("nodeInboundBytes", 100L).put("nodeOutboundBytes", 50L));
    assertThat(g.inbound(60)).isTrue();
    assertThat(g.inbound(60)).isFalse();
    assertThat(g.inbound(-60)).isTrue();
    assertThat(g.outbound(50)).isTrue();
    assertThat(g.outbound(1)).isFalse();
  }

  @Test
  void theDefaultConnectionCapFollowsHeapAndFileLimit() {
    assertThat(GatewayOptions.defaultMaxConnections(768L << 20, 1_048_576)).isEqualTo(3072);
    assertThat(GatewayOptions.defaultMaxConnections(768L << 20, 1024)).isEqualTo(1024 - GatewayOptions.FILES_RESERVED);
    assertThat(GatewayOptions.defaultMaxConnections(768L << 20, 2048)).isEqualTo(2048 - 512);
    assertThat(GatewayOptions.defaultMaxConnections(16L << 20, -1)).isEqualTo(64);
  }

  @Test
  void httpConnectionsToTheWebPortStopAtTheNodeCap() {
    ConnectionGuard g = guard(new JsonObject().put("maxConnections", 3));
    assertThat(g.openHttp("a")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("b")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("c")).isEqualTo(ConnectionGuard.Refusal.NONE);
    assertThat(g.openHttp("d")).as("past the cap").isEqualTo(ConnectionGuard.Refusal.NODE_FULL);
    assertThat(g.httpConnections()).isEqualTo(3);
    g.closeHttp("a");
    assertThat(g.openHttp("d")).as("room again once one closed").isEqualTo(ConnectionGuard.Refusal.NONE);
  }
}
