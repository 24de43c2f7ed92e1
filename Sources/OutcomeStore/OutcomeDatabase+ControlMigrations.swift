import GRDB

// The kill switch and guardrail holds: pauses by vehicle or bundle, stopped rules.
// Append-only: add `migrator.registerMigration("control-v1") { db in ... }` and never
// change a migration once committed.
extension OutcomeDatabase {
    static func registerControlMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("control-v1") { db in try createControlTables(db) }
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
}
