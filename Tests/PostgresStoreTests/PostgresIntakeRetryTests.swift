import Foundation
import Logging
import NIOCore
import NIOPosix
import OutcomeStore
import PostgresNIO
import PostgresStore
import XCTest

/// `appendIntake` on a pooled connection the server closed while the instance was frozen
/// (issue 20: a resumed zombie answered its first webhooks 503): the batch is stored once,
/// on another connection. Other errors are not retried.
final class PostgresIntakeRetryTests: XCTestCase {
    /// The freeze is the store's one event-loop thread held by a task: the server ends the
    /// store's idle connections (`pg_terminate_backend`), and the pool, which notices a close
    /// only on its event loop, still hands one of them to the intake when the loop resumes.
    func testIntakeOnConnectionsClosedWhileFrozenIsStoredOnce() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let migrated = try await cluster.makeStore()
            let application = "vigie-retry-\(UUID().uuidString.prefix(8).lowercased())"
            var settings = try PostgresSettings(url: try await cluster.url(of: migrated))
            settings.applicationName = application
            settings.maximumConnections = 4
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            var logger = Logger(label: "vigie.test.postgres")
            logger.logLevel = .critical
            let client = PostgresClient(configuration: settings.clientConfiguration, eventLoopGroup: group,
                                        backgroundLogger: logger)
            let running = Task { await client.run() }
            let store = PostgresStore(client: client, logger: logger)

            // Open a few pooled connections: concurrent intakes.
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for i in 0..<4 {
                    tasks.addTask {
                        _ = try await store.appendIntake([Self.batch("warm-\(i)")], at: Date())
                    }
                }
                try await tasks.waitForAll()
            }
            let opened = try await Self.backends(of: application, via: migrated)
            XCTAssertGreaterThan(opened, 0)

            // Freeze the store's event loop, then let the server end its connections.
            let gate = DispatchSemaphore(value: 0)
            await withCheckedContinuation { (frozen: CheckedContinuation<Void, Never>) in
                group.next().execute {
                    frozen.resume()
                    gate.wait()
                }
            }
            var thawed = false
            defer { if !thawed { gate.signal() } }
            try await migrated.client.query("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(application)
                """).consumeAll()
            try await Self.poll("the store's backends end") {
                try await Self.backends(of: application, via: migrated) == 0
            }

            // The intake leases a closed connection (its first statement is watched), then
            // the loop resumes and finds the connections closed.
            let watched = ConnectionCloseWatch.shared.counts.statements
            let intake = Task { try await store.appendIntake([Self.batch("after-freeze")], at: Date()) }
            try await Self.poll("the intake's first statement runs") {
                ConnectionCloseWatch.shared.counts.statements > watched
            }
            gate.signal()
            thawed = true

            let result = await intake.result
            running.cancel()
            await running.value
            try await group.shutdownGracefully()

            let receipts = try result.get()
            XCTAssertEqual(receipts.map(\.storedIds.count), [1])
            XCTAssertEqual(receipts.map(\.duplicates), [0])
            let stored = try await migrated.client.query(
                "SELECT count(*)::int8 FROM inbox WHERE dedup_key = 'after-freeze'").collectInts()
            XCTAssertEqual(stored, [1])
            let inbox = try await migrated.unprocessedInbox(after: 0, limit: 10)
            XCTAssertEqual(inbox.map(\.dedupKey).sorted(), ["after-freeze", "warm-0", "warm-1", "warm-2", "warm-3"])
        }
    }

    /// A statement the server refuses (here a trigger raising) fails the intake at once:
    /// one attempt, counted by a sequence (which a rollback does not undo).
    func testRefusedIntakeIsNotRetried() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            try await store.client.query("CREATE SEQUENCE intake_attempts").consumeAll()
            try await store.client.query("""
                CREATE FUNCTION intake_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM nextval('intake_attempts'); RAISE EXCEPTION 'refused'; END $$
                """).consumeAll()
            try await store.client.query("""
                CREATE TRIGGER intake_refuse BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION intake_refuse()
                """).consumeAll()
            do {
                _ = try await store.appendIntake([Self.batch("refused")], at: Date())
                XCTFail("a refused intake succeeded")
            } catch let error as PSQLError {
                XCTAssertEqual(error.code, .server)
            }
            let attempts = try await store.client.query("SELECT last_value FROM intake_attempts").collectInts()
            XCTAssertEqual(attempts, [1])
            let stored = try await store.client.query("SELECT count(*)::int8 FROM inbox").collectInts()
            XCTAssertEqual(stored, [0])
        }
    }

    static func batch(_ key: String) -> IntakeBatch {
        IntakeBatch(notifications: [.init(dedupKey: key, vin: "VR3UHZKXZKT000001", type: "Status",
                                          eventDate: "2026-11-23T06:30:00Z", body: "{}")])
    }

    static func backends(of application: String, via store: PostgresStore) async throws -> Int64 {
        try await store.client.query("""
            SELECT count(*)::int8 FROM pg_stat_activity WHERE application_name = \(application)
            """).collectInts().first ?? 0
    }

    /// Waits until `condition` holds, checking every 10 ms for at most 10 s.
    static func poll(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<1000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("timed out waiting: \(what)")
        throw CancellationError()
    }
}

extension PostgresRowSequence {
    func collectInts() async throws -> [Int64] {
        var out: [Int64] = []
        for try await row in self { out.append(try row.decode(Int64.self)) }
        return out
    }
}
