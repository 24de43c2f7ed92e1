import GRDB

// The dispatcher's durable state: per-vehicle budgets, remote tracking.
// Append-only: add `migrator.registerMigration("dispatch-v1") { db in ... }` and never
// change a migration once committed.
extension OutcomeDatabase {
    static func registerDispatchMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
