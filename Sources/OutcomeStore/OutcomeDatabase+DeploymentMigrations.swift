import GRDB

// What `vigie apply` deployed: callbacks and monitors per vehicle.
// Append-only: add `migrator.registerMigration("deployment-v1") { db in ... }` and never
// change a migration once committed.
extension OutcomeDatabase {
    static func registerDeploymentMigrations(_ migrator: inout DatabaseMigrator) {
    }
}
