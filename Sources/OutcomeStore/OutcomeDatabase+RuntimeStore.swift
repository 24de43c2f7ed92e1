import Foundation
import GRDB

// The SQLite store's side of `RuntimeStore`: every other requirement is met by the
// synchronous methods of the other `OutcomeDatabase` files.
extension OutcomeDatabase: RuntimeStore {
    package func appendIntake(_ batches: [IntakeBatch], at receivedAt: Date) async throws -> [IntakeReceipt] {
        try await coordinator.write { db in try Self.receive(batches, at: receivedAt, in: db) }
    }

    package func ping() async throws {
        _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
