import Foundation
import Logging
import OutcomeStore
import PostgresNIO
import PostgresStore
import Synchronization
import VigieTestSupport
import XCTest

/// The test cluster: `VIGIE_TEST_POSTGRES_URL` names a superuser connection to a
/// throw-away PostgreSQL (see `scripts/pg-test-cluster.sh`). Each store gets a fresh
/// database, dropped when the test ends.
final class PostgresTestCluster: Sendable {
    static let variable = "VIGIE_TEST_POSTGRES_URL"

    let admin: PostgresStore
    let settings: PostgresSettings
    private let databases = Mutex<[String]>([])
    private let runs = Mutex<[Task<Void, Never>]>([])

    private init(settings: PostgresSettings) {
        self.settings = settings
        var logger = Logger(label: "vigie.test.postgres")
        logger.logLevel = .critical
        admin = PostgresStore(settings: settings, logger: logger)
    }

    /// Runs `body` with the cluster; fails the test (never skips it) when no cluster is given.
    static func withCluster(file: StaticString = #filePath, line: UInt = #line,
                            _ body: (PostgresTestCluster) async throws -> Void) async throws {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            XCTFail("""
                \(variable) is not set: these tests need a PostgreSQL cluster. Start one with
                `eval "$(scripts/pg-test-cluster.sh start)"` (Debian's postgresql package; `scripts/pg-test-cluster.sh \
                stop` removes it), or run `bash .ci/run`, which does both.
                """, file: file, line: line)
            return
        }
        let cluster = PostgresTestCluster(settings: try PostgresSettings(url: url))
        cluster.start(cluster.admin)
        do {
            try await body(cluster)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    private func start(_ store: PostgresStore) {
        let task = Task { await store.run() }
        runs.withLock { $0.append(task) }
    }

    /// A migrated store on a new, empty database.
    func makeStore() async throws -> PostgresStore {
        let name = "vigie_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "_").lowercased())"
        try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")).consumeAll()
        databases.withLock { $0.append(name) }
        var settings = self.settings
        settings.database = name
        var logger = Logger(label: "vigie.test.postgres")
        logger.logLevel = .critical
        let store = PostgresStore(settings: settings, logger: logger)
        start(store)
        try await store.migrate()
        return store
    }

    /// The URL of the database `makeStore()` made last (for a process: `vigie migrate`).
    func url(of store: PostgresStore) async throws -> String {
        let names = try await store.client.query("SELECT current_database()::text").collectStrings()
        let name = try XCTUnwrap(names.first)
        let base = try XCTUnwrap(ProcessInfo.processInfo.environment[Self.variable])
        var parts = try XCTUnwrap(URLComponents(string: base))
        parts.path = "/" + name
        return try XCTUnwrap(parts.string)
    }

    /// Makes every write of an engine checkpoint of the failing scope raise inside its
    /// transaction.
    static func armFailure(_ store: any RuntimeStore) async throws {
        guard let store = store as? PostgresStore else { throw PostgresStoreError.corrupt("not a PostgresStore") }
        try await store.client.query("""
            CREATE FUNCTION conformance_fail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'injected failure'; END $$
            """).consumeAll()
        try await store.client.query(PostgresQuery(unsafeSQL: """
            CREATE TRIGGER conformance_fail BEFORE INSERT OR UPDATE ON engine_checkpoint FOR EACH ROW
            WHEN (NEW.scope = '\(RuntimeStoreConformance.failingScope)') EXECUTE FUNCTION conformance_fail()
            """)).consumeAll()
    }

    /// Stops every store's client, then drops the test databases.
    private func shutdown() async {
        let tasks = runs.withLock { all in
            let tail = Array(all.dropFirst())
            all = Array(all.prefix(1))
            return tail
        }
        for task in tasks { task.cancel(); await task.value }
        for name in databases.withLock({ $0 }) {
            _ = try? await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
                .consumeAll()
        }
        let adminRun = runs.withLock { $0.first }
        adminRun?.cancel()
        await adminRun?.value
    }
}

extension PostgresRowSequence {
    func consumeAll() async throws {
        for try await _ in self {}
    }

    func collectStrings() async throws -> [String] {
        var out: [String] = []
        for try await row in self { out.append(try row.decode(String.self)) }
        return out
    }
}
