import Foundation
import OutcomeStore
import PostgresNIO
import PostgresStore
import XCTest

/// `ConnectionCloseWatch`: a statement on a connection the server closes fails (the
/// SIGTERM hang, `PostgresLeaseTests`), and the watch keeps nothing of the statements
/// that ended — the pool's connections live for hours.
final class PostgresConnectionWatchTests: XCTestCase {
    func testEndedStatementsLeaveNothingWatched() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for i in 0..<250 {
                            let batch = IntakeBatch(notifications: [.init(
                                dedupKey: "w\(worker)-\(i)", vin: "V\(worker)", type: "Status",
                                eventDate: "2026-11-23T06:30:00Z", body: "{}")])
                            _ = try await store.appendIntake([batch], at: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let depths = try await store.runtimeQueueDepths()
            XCTAssertEqual(depths.inboxUnprocessed, 2000)
            // 2,000 transactions, several statements each: what is watched is the open
            // connections (a pool's worth) and the statements still running (none of this
            // store's; other stores of the process may have a few in flight).
            let counts = ConnectionCloseWatch.shared.counts
            XCTAssertLessThan(counts.statements, 20)
            XCTAssertLessThan(counts.connections, 60)
        }
    }
}
