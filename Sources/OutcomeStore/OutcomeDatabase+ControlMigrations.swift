import GRDB

// The kill switch and guardrail holds: pauses by vehicle or bundle, stopped rules.
// Append-only: add `migrator.registerMigration("control-v1") { db in ... }` and never
// change a migration once committed.
extension OutcomeDatabase {
    static func registerControlMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
