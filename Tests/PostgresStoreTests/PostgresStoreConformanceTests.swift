import Foundation
import Logging
import OutcomeStore
import PostgresNIO
import PostgresStore
import VigieTestSupport
import XCTest

/// The `RuntimeStore` conformance suite on PostgreSQL. Each store gets a database of its
/// own on the cluster named by `VIGIE_TEST_POSTGRES_URL` (`scripts/pg-test-cluster.sh`
/// starts one; `.ci/run` does it for CI). Without that variable the tests fail, saying so.
final class PostgresStoreConformanceTests: XCTestCase {
    func testPostgresStoreConforms() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let suite = RuntimeStoreConformance(makeStore: { try await cluster.makeStore() },
                                                armFailure: { store in try await PostgresTestCluster.armFailure(store) })
            let failures = await suite.run()
            XCTAssertEqual(failures.map(\.description), [])
        }
    }

    func testMigrationsRunOnceAndAreRecorded() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            try await store.migrate()
            try await store.migrate()
            let applied = try await store.appliedMigrations()
            XCTAssertEqual(applied, PostgresStore.migrationIdentifiers, "each once, in order")
            XCTAssertEqual(Array(applied.prefix(2)), ["v1-schema", "v2-partition-lease"])
            XCTAssertTrue(applied.contains("v4-partition-member"), "\(applied)")
        }
    }

    func testURLsAreReadAndPasswordsNeverShown() throws {
        let settings = try PostgresSettings(url: "postgres://vigie:s3cr%40t@127.0.0.1:55432/fleet?sslmode=disable")
        XCTAssertEqual(settings.host, "127.0.0.1")
        XCTAssertEqual(settings.port, 55432)
        XCTAssertEqual(settings.username, "vigie")
        XCTAssertEqual(settings.database, "fleet")
        XCTAssertEqual(settings.sslMode, .disable)
        XCTAssertEqual(settings.description, "postgres://vigie@127.0.0.1:55432/fleet")
        XCTAssertFalse("\(settings)".contains("s3cr"))
        XCTAssertThrowsError(try PostgresSettings(url: "mysql://a@b/c")) { error in
            XCTAssertEqual("\(error)", "invalid PostgreSQL URL: not a postgres:// URL")
        }
        XCTAssertThrowsError(try PostgresSettings(url: "postgres://a:pw@h/d?sslmode=maybe")) { error in
            XCTAssertEqual("\(error)", "invalid PostgreSQL URL: sslmode must be one of disable, prefer, require")
        }
        XCTAssertThrowsError(try PostgresSettings(url: "postgres://h/d")) { error in
            XCTAssertEqual("\(error)", "invalid PostgreSQL URL: no user name")
        }
    }
}
