import GRDB

extension OutcomeDatabase {
    /// Inbox migrations after `v1-intake`, in order.
    static func registerInboxMigrations(_ migrator: inout DatabaseMigrator) {
        // The index of unprocessed rows was ordered by vehicle: every notification of a
        // receiver transaction landed on another of its pages (one per vehicle), the
        // largest share of the pages each commit wrote to the WAL. Ordered by id, new
        // rows append to its last page. Every reader of unprocessed rows goes by id
        // (the engine's paging, the per-vehicle listing filters a short scan of it, the
        // metrics' count).
        migrator.registerMigration("v2-inbox-unprocessed-by-id") { db in
            try db.execute(sql: "DROP INDEX inbox_unprocessed")
            try db.execute(sql: "CREATE INDEX inbox_unprocessed_id ON inbox(id) WHERE processed = 0")
        }
    }
}
