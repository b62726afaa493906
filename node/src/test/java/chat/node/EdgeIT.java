package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The chat port behind nginx (PROXY protocol) and with TLS. */
class EdgeIT {

  @Test
  void perAddressLimitsSeeTheClientNamedByTheProxyProtocol() throws Exception {
    JsonObject settings = new JsonObject().put("CHAT_PROXY_PROTOCOL", "true").put("CHAT_MAX_CONNECTIONS_PER_IP", 1);
    try (TestNode node = TestNode.start(settings); RawClient first = viaProxy(node, "127.0.0.5")) {
      first.send(new JsonObject().put("msgid", 4).put("name", unique("proxied")).put("password", "pw").encode());
      assertThat(first.read(3000)).extracting(f -> f.getInteger("errno")).containsExactly(0);
      try (RawClient sameClient = viaProxy(node, "127.0.0.5")) {
        assertThat(sameClient.read(2000)).extracting(f -> f.getInteger("errno")).containsExactly(1017);
        assertThat(sameClient.closedByServer()).isTrue();
      }
      RawClient otherClient = viaProxy(node, "127.0.0.6");
      otherClient.send(new JsonObject().put("msgid", 4).put("name", unique("proxied")).put("password", "pw").encode());
      assertThat(otherClient.read(3000)).extracting(f -> f.getInteger("errno")).containsExactly(0);
      otherClient.close();
    }
  }

  @Test
  void theChatPortSpeaksTlsFromPemFiles() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    JsonObject settings = new JsonObject().put("CHAT_TLS_CERT", cert.certificatePath()).put("CHAT_TLS_KEY", cert.privateKeyPath());
    try (TestNode node = TestNode.start(settings)) {
      SSLContext tls = trusting(cert.certificatePath());
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", node.port)) {
        socket.startHandshake();
        OutputStream out = socket.getOutputStream();
        String name = unique("tls");
        out.write((new JsonObject().put("msgid", 4).put("name", name).put("password", "pw").encode() + "\0").getBytes(StandardCharsets.UTF_8));
        out.flush();
        JsonObject ack = readFrame(socket.getInputStream());
        assertThat(ack.getInteger("errno")).isZero();
        out.write((new JsonObject().put("msgid", 1).put("id", ack.getInteger("id")).put("password", "pw").encode() + "\0").getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(readFrame(socket.getInputStream()).getString("name")).isEqualTo(name);
      }
      try (RawClient plain = new RawClient(node.port)) {
        plain.send(new JsonObject().put("msgid", 4).put("name", unique("plain")).put("password", "pw").encode());
        assertThat(plain.read(2000)).as("no plain-text chat on a TLS port").isEmpty();
      } catch (Exception expected) {
        // the TLS handshake fails on plain text: the server may close or reset
      }
    }
  }

  /** A connection that starts with the PROXY v1 line nginx sends for a client at {@code client}. */
  private static RawClient viaProxy(TestNode node, String client) throws Exception {
    RawClient c = new RawClient(node.port);
    c.sendRaw(("PROXY TCP4 " + client + " 127.0.0.1 40000 " + node.port + "\r\n").getBytes(StandardCharsets.US_ASCII));
    return c;
  }

  private static SSLContext trusting(String certPath) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (FileInputStream in = new FileInputStream(certPath)) {
      trust.setCertificateEntry("node", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static JsonObject readFrame(InputStream in) throws Exception {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) > 0 && b != '\n') {
      frame.write(b);
    }
    return new JsonObject(frame.toString(StandardCharsets.UTF_8));
  }
}
