package chat.persistence;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies sql/ (packaged as db/migration) with Flyway. Blocking: call from a worker. */
final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  static void migrate(DbSettings db) {
    var result =
        Flyway.configure()
            .dataSource(db.jdbcUrl(), db.user(), db.password())
            .schemas(db.database())
            .createSchemas(true)
            .locations("classpath:db/migration")
            // migrations were numbered by parallel branches (V10 landed after V11): a database
            // that has a later one must still take an earlier one that arrives afterwards
            .outOfOrder(true)
            .load()
            .migrate();
    LOG.info(
        "database {} at schema version {} ({} migrations applied)",
        db.database(),
        result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
        result.migrationsExecuted);
  }
}
