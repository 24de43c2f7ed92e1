import GRDB

// The schema, in ONE ordered list: `migrator` below. Migrations are append-only: once
// shipped, a migration never changes (nor its identifier, which GRDB records in
// `grdb_migrations` of every database); a schema change is a new migration appended at
// the end of the list. Tables and columns are named by string here, never through the
// record types. `MigrationTests` opens a database made by the code before this list was
// gathered in one place, and checks a fresh database has the same schema.
extension OutcomeDatabase {
    /// The migrations, in the order they run.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-decisions") { db in try createDecisionTables(db) }
        migrator.registerMigration("v1-engine-state") { db in try createEngineStateTables(db) }
        migrator.registerMigration("v1-intake") { db in try createIntakeTables(db) }
        migrator.registerMigration("v1-outbox") { db in try createOutboxTables(db) }
        migrator.registerMigration("dispatch-v1-remote-events") { db in try createRemoteEventTable(db) }
        migrator.registerMigration("control-v1") { db in try createControlTables(db) }
        migrator.registerMigration("v2-inbox-unprocessed-by-id") { db in try indexUnprocessedInboxById(db) }
        migrator.registerMigration("console-v1-indexes") { db in try createConsoleIndexes(db) }
        migrator.registerMigration("notifications-v1-delivery") { db in try createNotificationTables(db) }
        migrator.registerMigration("manual-v1") { db in try createManualTables(db) }
        migrator.registerMigration("alerts-v1") { db in try createAlertTables(db) }
        migrator.registerMigration("deployments-v1") { db in try createDeploymentTables(db) }
        migrator.registerMigration("trace-v1-inbox-indexes") { db in try createTraceIndexes(db) }
        migrator.registerMigration("dispatch-v2-action-by-vin") { db in try indexRemoteActionsByVehicle(db) }
        migrator.registerMigration("dispatch-v3-outbox-by-status") { db in try indexOutboxByStatus(db) }
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

    /// Every remote progress notification (Pending / Done) the engine loop consumed.
    /// One can arrive before the POST's answer is recorded (the API is fast, the answer
    /// slow): it stays unapplied (`appliedAt` NULL) until the dispatcher records the
    /// `remoteActionId`, then applies it in the same transaction.
    private static func createRemoteEventTable(_ db: Database) throws {
        try db.create(table: "remoteEvent") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("remoteActionId", .text).notNull()
            t.column("type", .text).notNull()
            t.column("status", .text).notNull()
            t.column("failureCause", .text)
            t.column("eventDate", .text)
            t.column("inboxId", .integer)
            t.column("receivedAt", .datetime).notNull()
            t.column("appliedAt", .datetime)
        }
        try db.create(index: "remoteEvent_on_remoteActionId", on: "remoteEvent", columns: ["remoteActionId", "id"])
    }

    /// `controlHold`: pauses (`vigie pause`, `safety.paused`) and rules stopped in a loop,
    /// active while `resumedAt` is null. `controlEvent`: the guardrails' journal (holds
    /// started and ended, flapping, budgets). `controlVersion`: one row whose counter every
    /// change of `controlHold` bumps (triggers), so a running `vigie serve` notices a pause
    /// made by another process with one cheap read.
    private static func createControlTables(_ db: Database) throws {
        try db.create(table: "controlHold") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("kind", .text).notNull().check(sql: "kind IN ('pause', 'config', 'loop')")
            t.column("vin", .text)
            t.column("bundle", .text)
            t.column("rule", .text)
            t.column("reason", .text)
            t.column("createdAt", .datetime).notNull()
            t.column("resumedAt", .datetime)
        }
        try db.execute(sql: "CREATE INDEX controlHold_active ON controlHold(kind, vin) WHERE resumedAt IS NULL")

        try db.create(table: "controlEvent") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at", .datetime).notNull()
            t.column("kind", .text).notNull()
            t.column("vin", .text)
            t.column("bundle", .text)
            t.column("rule", .text)
            t.column("holdId", .integer)
            t.column("detail", .text)
        }
        try db.create(index: "controlEvent_on_at", on: "controlEvent", columns: ["at"])
        try db.create(index: "controlEvent_on_kind_rule", on: "controlEvent", columns: ["kind", "vin", "bundle", "rule"])

        try db.create(table: "controlVersion") { t in
            t.primaryKey("id", .integer).check(sql: "id = 1")
            t.column("version", .integer).notNull()
        }
        try db.execute(sql: "INSERT INTO controlVersion (id, version) VALUES (1, 0)")
        for (name, event) in [("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")] {
            try db.execute(sql: """
                CREATE TRIGGER controlHold_after_\(name) AFTER \(event) ON controlHold
                BEGIN UPDATE controlVersion SET version = version + 1 WHERE id = 1; END
                """)
        }
    }

    /// The index of unprocessed rows was ordered by vehicle: every notification of a
    /// receiver transaction landed on another of its pages (one per vehicle), the largest
    /// share of the pages each commit wrote to the WAL. Ordered by id, new rows append to
    /// its last page. Every reader of unprocessed rows goes by id (the engine's paging, the
    /// per-vehicle listing filters a short scan of it, the metrics' count).
    private static func indexUnprocessedInboxById(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX inbox_unprocessed")
        try db.execute(sql: "CREATE INDEX inbox_unprocessed_id ON inbox(id) WHERE processed = 0")
    }

    /// A vehicle's remote commands: the budgets read them before every command
    /// (`commandsSent`), reconciliation lists their remote ids. Without it both scanned
    /// every action ever stored (PostgreSQL has `action_on_vin` since its first schema).
    private static func indexRemoteActionsByVehicle(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX action_on_vin_sentAt ON action(vin, sentAt) WHERE kind = 'remote'")
    }

    /// The dispatcher's reads by status — the next queued commands at every wake-up
    /// (`nextDispatchItems`), the commands in flight (`inFlightDispatchItems`) — scanned
    /// the whole outbox in id order, done commands included: O(commands ever sent) per
    /// wake-up, 0.8 ms on average at 10,000 rows (BENCHMARKS.md, "Serve latency").
    /// PostgreSQL has `outbox_partition_status` since its first schema.
    private static func indexOutboxByStatus(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX outbox_on_status_id ON outbox(status, id)")
    }
}
