package chat.node;

import chat.protocol.bus.ChatStatus;
import io.vertx.core.json.JsonObject;

/**
 * Chat's status report as the /health body shows it. The keys are what operators and probes
 * read, so they are spelled here, at the HTTP edge, and nowhere between the verticles.
 */
final class StatusJson {
  private StatusJson() {}

  static JsonObject of(ChatStatus.Report report) {
    ChatStatus.Hashes h = report.hashes();
    JsonObject hashes = new JsonObject()
        .put("pending", h.pending())
        .put("peak", h.peak())
        .put("max", h.max())
        .put("run", h.run())
        .put("skipped", h.skipped())
        .put("refused", h.refused());
    return new JsonObject()
        .put("redis", report.redis())
        .put("pubsub", report.pubsub())
        .put("online", report.online())
        .put("hashes", hashes)
        .put("loginGuardEntries", report.loginGuardEntries());
  }
}
