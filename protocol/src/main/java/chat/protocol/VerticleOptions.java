package chat.protocol;

import io.vertx.core.json.JsonObject;

/** An options record that the node deploys as its verticle's config, read back by the record's from(). */
public interface VerticleOptions {
  /** The deployment config, keyed by the record's own field names. */
  default JsonObject toJson() {
    return OptionsJson.write((Record) this);
  }
}
