import Foundation
import Logging
import VigieRuntime
import XCTest

/// `store: {postgres: {url: …}}` in vigie.yaml: read from env/file only, checked when
/// loaded (file:line:column, never the password), exclusive with `database:`.
final class StoreConfigTests: XCTestCase {
    static let head = """
        api: {kind: b2b, client_id: c, client_secret: {env: S}, fleet_id: f1}
        callback: {public_url: "https://vigie.example.com/hooks", webhook_secret: {env: W}}
        rules: [rules]

        """
    static let environment = ["S": "client-secret-value", "W": "webhook-secret-0123456789",
                              "VIGIE_DATABASE_URL": "postgres://vigie:pa55word@db.example.com:5433/fleet?sslmode=require",
                              "BAD_URL": "postgres://vigie:pa55word@db.example.com/fleet?sslmode=sometimes"]

    func parse(_ yaml: String) throws -> VigieConfig {
        try VigieConfig.parse(yaml: Self.head + yaml, file: "vigie.yaml", folder: URL(fileURLWithPath: "/tmp"),
                              environment: Self.environment)
    }

    func issues(_ yaml: String) -> [String] {
        do {
            _ = try parse(yaml)
            return ["parsed"]
        } catch let error as ConfigError {
            return error.issues.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    func testWithoutStoreTheSQLiteDatabaseIsUsed() throws {
        let config = try parse("database: fleet.sqlite\n")
        XCTAssertEqual(config.store, .sqlite)
        let selected = try RuntimeStoreFactory.open(
            try parse("database: \(FileManager.default.temporaryDirectory.path)/store-config-\(UUID().uuidString).sqlite\n"),
            logger: Logger(label: "test"))
        XCTAssertNotNil(selected.sqlite)
        XCTAssertNil(selected.postgres)
        if let path = selected.sqlite?.path { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
    }

    func testPostgresURLFromTheEnvironment() throws {
        let config = try parse("store:\n  postgres:\n    url: {env: VIGIE_DATABASE_URL}\n")
        guard case .postgres(let url, let partitions) = config.store else { return XCTFail("not postgres: \(config.store)") }
        XCTAssertEqual(url.reveal(), Self.environment["VIGIE_DATABASE_URL"])
        XCTAssertEqual(partitions, VigieConfig.Partitions(count: 64, lease: 10, postDeadline: 60))
        XCTAssertFalse("\(config.store)".contains("pa55word"))
        let selected = try RuntimeStoreFactory.open(config, logger: Logger(label: "test"))
        XCTAssertNotNil(selected.postgres)
        XCTAssertNil(selected.sqlite)
    }

    func testPartitionSettings() throws {
        let config = try parse("store:\n  postgres:\n    url: {env: VIGIE_DATABASE_URL}\n    partitions: 16\n"
                               + "    lease: 5s\n    post_deadline: 2m\n")
        guard case .postgres(_, let partitions) = config.store else { return XCTFail("not postgres: \(config.store)") }
        XCTAssertEqual(partitions, VigieConfig.Partitions(count: 16, lease: 5, postDeadline: 120))
        let head = "store:\n  postgres:\n    url: {env: VIGIE_DATABASE_URL}\n"
        XCTAssertEqual(issues(head + "    partitions: 0\n"), ["vigie.yaml:7:17: store.postgres.partitions must be at least 1"])
        XCTAssertEqual(issues(head + "    partitions: 5000\n"),
                       ["vigie.yaml:7:17: store.postgres.partitions must be at most 4096 (a few per instance is enough; docs/cluster.md)"])
        XCTAssertEqual(issues(head + "    lease: 0s\n"),
                       ["vigie.yaml:7:12: store.postgres.lease must be a positive duration such as 30s, 5m, 2h or 1d"])
        XCTAssertEqual(issues(head + "    post_deadline: soon\n"),
                       ["vigie.yaml:7:20: store.postgres.post_deadline must be a positive duration such as 30s, 5m, 2h or 1d"])
    }

    func testMistakesAreReportedWithTheirPositionAndNoPassword() {
        XCTAssertEqual(issues("store:\n  postgres:\n    url: postgres://a:b@h/d\n"),
                       ["vigie.yaml:6:10: store.postgres.url must not be written inline: use {file: PATH} or {env: NAME}"])
        let bad = issues("store:\n  postgres:\n    url: {env: BAD_URL}\n")
        XCTAssertEqual(bad, ["vigie.yaml:6:10: store.postgres.url (from environment variable BAD_URL): "
                             + "invalid PostgreSQL URL: sslmode must be one of disable, prefer, require"])
        XCTAssertEqual(issues("store:\n  sqlite: {}\n"),
                       ["vigie.yaml:5:3: unknown key `sqlite` in store (expected postgres)"])
        XCTAssertEqual(issues("store: {}\n"),
                       ["vigie.yaml:4:8: store must name its kind: postgres (leave `store` out for the SQLite `database`)"])
        XCTAssertEqual(issues("store:\n  postgres: {}\n"),
                       ["vigie.yaml:5:13: store.postgres needs url: {env: NAME} or {file: PATH} (a postgres:// URL)"])
        XCTAssertEqual(issues("database: a.sqlite\nstore:\n  postgres:\n    url: {env: VIGIE_DATABASE_URL}\n"),
                       ["vigie.yaml:6:3: `database` (SQLite) and `store.postgres` are both set: a deployment uses one store"])
    }
}
