import Foundation
import GRDB
@testable import OutcomeStore
import XCTest

/// The migrations are one ordered list; a database made before it was gathered (the
/// identifiers GRDB recorded then) opens unchanged and keeps its data.
final class MigrationTests: XCTestCase {
    /// A legacy database file restored from its dump.
    private func legacyDatabase() throws -> String {
        let path = Fixtures.temporaryDatabasePath()
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: LegacyDatabaseFixture.sql) }
        try queue.close()
        return path
    }

    private static func schema(_ writer: any DatabaseWriter) throws -> [String: String] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                """)
            var out: [String: String] = [:]
            for row in rows {
                let sql: String = row["sql"]
                out["\(row["type"] as String) \(row["name"] as String)"] =
                    sql.replacingOccurrences(of: "CREATE TABLE IF NOT EXISTS", with: "CREATE TABLE")
            }
            return out
        }
    }

    private static func appliedMigrations(_ writer: any DatabaseWriter) throws -> [String] {
        try writer.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    func testALegacyDatabaseOpensWithItsDataAndOnlyLaterMigrationsRun() async throws {
        let path = try legacyDatabase()
        defer { Fixtures.cleanup(path) }
        let before = try Self.appliedMigrations(DatabaseQueue(path: path))
        let list = OutcomeDatabase.migrator.migrations
        XCTAssertEqual(Array(list.prefix(before.count)), before, "the legacy identifiers start the list, in order")
        let store = try OutcomeDatabase.openExisting(path: path)
        XCTAssertEqual(try Self.appliedMigrations(store.writer), list,
                       "the legacy migrations are not run again; those appended since are")
        XCTAssertEqual(try store.decisionCount(), 6)
        XCTAssertEqual(try store.activeHolds().map(\.vin), ["VF3OLD"])
        XCTAssertEqual(try store.unprocessedInbox(after: 0, limit: 10).map(\.dedupKey), ["k1"])
        // Still writable through every part of the schema.
        let receipt = try await store.appendIntake(IntakeBatch(notifications: [
            .init(dedupKey: "k2", vin: "VF3OLD", type: "Status", eventDate: nil, body: "{}"),
        ]))
        XCTAssertEqual(receipt.storedIds.count, 1)
        try await store.commit(DecisionCommit(scope: "serve", decisions: [Fixtures.fired(1, vin: "VF3OLD")]))
        XCTAssertEqual(try store.nextDispatchItems(at: Fixtures.at(2)).map(\.vin), ["VF3OLD"])
    }

    func testAFreshDatabaseHasTheSchemaOfAMigratedLegacyOne() throws {
        let path = try legacyDatabase()
        defer { Fixtures.cleanup(path) }
        let legacy = try Self.schema(DatabaseQueue(path: path))
        let fresh = try Self.schema(OutcomeDatabase.inMemory().writer)
        for (name, sql) in legacy {
            XCTAssertEqual(fresh[name], sql, "\(name): a fresh database creates it as the legacy code did")
        }
        XCTAssertEqual(try Self.schema(OutcomeDatabase.openExisting(path: path).writer), fresh,
                       "a legacy database once migrated has the fresh schema")
    }
}
