package chat.node;

import io.vertx.core.json.JsonObject;

/**
 * The suite's database ({@link TestDatabase}) for tests in other packages: StoreRulesIT sits in
 * chat.persistence to reach the store's package-private writers.
 */
public final class SharedTestDatabase {
  private SharedTestDatabase() {}

  /** The persistence verticle's config keys for the suite's database. */
  public static JsonObject persistenceConfig() throws Exception {
    TestDatabase db = TestDatabase.get();
    return new JsonObject()
        .put("host", db.host)
        .put("port", db.port)
        .put("database", db.name)
        .put("user", db.user)
        .put("password", db.password);
  }
}
