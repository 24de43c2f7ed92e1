import GRDB

// The dispatcher's durable state: per-vehicle budgets, remote tracking.
// Append-only: add `migrator.registerMigration("dispatch-v1") { db in ... }` and never
// change a migration once committed.
extension OutcomeDatabase {
    static func registerDispatchMigrations(_ migrator: inout DatabaseMigrator) {
        // Every remote progress notification (Pending / Done) the engine loop consumed.
        // One can arrive before the POST's answer is recorded (the API is fast, the
        // answer slow): it stays unapplied (`appliedAt` NULL) until the dispatcher
        // records the `remoteActionId`, then applies it in the same transaction.
        migrator.registerMigration("dispatch-v1-remote-events") { db in
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
    }
}
