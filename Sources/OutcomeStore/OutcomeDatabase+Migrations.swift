import GRDB

// The schema. Migrations are append-only: once shipped, a migration never changes;
// a schema change is a new migration registered after the last one. Tables and
// columns are named by string here, never through the record types.
extension OutcomeDatabase {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-decisions") { db in try createDecisionTables(db) }
        migrator.registerMigration("v1-engine-state") { db in try createEngineStateTables(db) }
        migrator.registerMigration("v1-intake") { db in try createIntakeTables(db) }
        migrator.registerMigration("v1-outbox") { db in try createOutboxTables(db) }
        // Later migrations, one file per feature, always in this order.
        registerDeploymentMigrations(&migrator)
        registerDispatchMigrations(&migrator)
        registerControlMigrations(&migrator)
        registerInboxMigrations(&migrator)
        return migrator
    }

    /// Decisions (fired and suppressed), their actions and each attempt at an action.
    private static func createDecisionTables(_ db: Database) throws {
        try db.create(table: "firing") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at", .datetime).notNull()
            t.column("vin", .text).notNull()
            t.column("bundle", .text).notNull()
            t.column("rule", .text).notNull()
            t.column("event", .text).notNull().check(sql: "event IN ('fired', 'suppressed')")
            t.column("reason", .text)
            // The actions exactly as `vigie dry-run --format json` prints them.
            t.column("actions", .text).notNull()
            // The inbox notification whose processing made this decision, if any.
            t.column("inboxId", .integer)
            t.column("recordedAt", .datetime).notNull()
        }
        try db.create(index: "firing_on_at", on: "firing", columns: ["at"])
        try db.create(index: "firing_on_vin_at", on: "firing", columns: ["vin", "at"])
        try db.create(index: "firing_on_rule_at", on: "firing", columns: ["rule", "at"])

        try db.create(table: "action") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("firing", onDelete: .cascade).notNull()
            t.column("position", .integer).notNull()
            t.column("kind", .text).notNull().check(sql: "kind IN ('remote', 'notify')")
            t.column("vin", .text).notNull()
            // Remote: the request body as POSTed (JSON). Notify: the rendered text.
            t.column("payload", .text).notNull()
            t.column("status", .text).notNull()
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("remoteActionId", .text)
            t.column("failureCause", .text)
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
            t.column("sentAt", .datetime)
            t.column("doneAt", .datetime)
            t.uniqueKey(["firingId", "position"])
        }
        try db.create(index: "action_on_remoteActionId", on: "action", columns: ["remoteActionId"])

        try db.create(table: "actionAttempt") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("action", onDelete: .cascade).notNull()
            t.column("attempt", .integer).notNull()
            t.column("startedAt", .datetime).notNull()
            t.column("finishedAt", .datetime)
            t.column("remoteActionId", .text)
            t.column("httpStatus", .integer)
            t.column("outcome", .text).notNull()
            t.column("failureCause", .text)
            t.column("detail", .text)
            t.uniqueKey(["actionId", "attempt"])
        }
    }

    /// The engine's durable state: one opaque snapshot per vehicle and scope, and one
    /// checkpoint per scope saying how far the input was consumed.
    private static func createEngineStateTables(_ db: Database) throws {
        try db.create(table: "engineState") { t in
            t.column("scope", .text).notNull()
            t.column("vin", .text).notNull()
            t.column("state", .blob).notNull()
            t.column("updatedAt", .datetime).notNull()
            t.primaryKey(["scope", "vin"])
        }
        try db.create(table: "engineCheckpoint") { t in
            t.primaryKey("scope", .text)
            t.column("position", .integer).notNull()
            t.column("at", .datetime)
            t.column("state", .blob)
            t.column("updatedAt", .datetime).notNull()
        }
    }

    /// Notifications as received (written before the receiver answers 200) and the
    /// items that could not be understood.
    private static func createIntakeTables(_ db: Database) throws {
        try db.create(table: "inbox") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("receivedAt", .datetime).notNull()
            t.column("dedupKey", .text).notNull().unique(onConflict: .abort)
            t.column("vin", .text)
            t.column("type", .text)
            t.column("eventDate", .text)
            t.column("body", .text).notNull()
            t.column("processed", .boolean).notNull().defaults(to: false)
            t.column("processedAt", .datetime)
        }
        try db.execute(sql: "CREATE INDEX inbox_unprocessed ON inbox(vin, id) WHERE processed = 0")

        try db.create(table: "deadLetter") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("receivedAt", .datetime).notNull()
            t.column("source", .text).notNull()
            t.column("body", .text).notNull()
            t.column("error", .text).notNull()
        }
    }

    /// Remote commands waiting to be sent, in order per vehicle.
    private static func createOutboxTables(_ db: Database) throws {
        try db.create(table: "outbox") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("action", onDelete: .cascade).notNull().unique()
            t.column("vin", .text).notNull()
            t.column("body", .text).notNull()
            t.column("status", .text).notNull().check(sql: "status IN ('queued', 'inFlight', 'done')")
            t.column("notBefore", .datetime)
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(index: "outbox_on_vin_status", on: "outbox", columns: ["vin", "status", "id"])
    }
}
