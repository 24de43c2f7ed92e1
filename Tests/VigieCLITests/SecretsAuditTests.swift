import Foundation
import GRDB
import Logging
import OutcomeStore
import StellantisAPI
import VehicleData
import VigieKit
import VigieTestSupport
import XCTest

/// Issue 7, item 4: the end-to-end path at debug level leaks no secret — not the access
/// or refresh token, the client secret or the webhook secret — into the logs or anywhere
/// in the SQLite file (every text and blob column of every table).
final class SecretsAuditTests: XCTestCase {
    func testNoSecretInTheLogsOrTheDatabase() async throws {
        let folder = try TemporaryFolder(prefix: "vigie-audit")
        defer { folder.remove() }
        let capture = LogCapture()
        let logger = capture.logger(label: "vigie.audit", level: .debug)
        let clock = ManualClock(EndToEnd.start)
        let stack = try await EndToEnd.start(database: folder.path("audit.sqlite"), clock: clock, logger: logger)
        var secrets: [String: String] = [:]
        do {
            let tokens = try XCTUnwrap(FileTokenStore(url: URL(fileURLWithPath: XCTUnwrap(stack.config.api.tokenStorePath))).load())
            secrets["access token"] = tokens.accessToken
            secrets["refresh token"] = tokens.refreshToken
            secrets["client secret"] = try XCTUnwrap(stack.config.api.clientSecret).reveal()
            secrets["webhook secret"] = stack.config.callback.webhookSecret.reveal()
            try await EndToEnd.run(clock, stack, seconds: 110 * 60)
            try await EndToEnd.settle(stack, clock: clock)
            // A wrong secret is refused and logged: the attempt must not echo what was tried
            // (an attacker's guess may be a near-miss of the real one).
            let wrong = try await EndToEnd.post(stack, Data("{}".utf8), secret: secrets["webhook secret"]! + "x")
            XCTAssertEqual(wrong.status, 401)
            // The configuration itself, printed as a careless log line would.
            logger.debug("configuration", metadata: ["config": "\(stack.config)", "api": "\(stack.config.api)",
                                                     "callback": "\(stack.config.callback)"])
        } catch {
            await stack.stop()
            throw error
        }
        await stack.stop()
        XCTAssertGreaterThan(capture.count, 10, "the runtime logged at debug level")
        XCTAssertTrue(try stack.database.loggedDecisions().contains { $0.firing.event == "fired" })
        for (name, value) in secrets {
            XCTAssertGreaterThanOrEqual(value.count, 8, name)
        }
        XCTAssertEqual(SecretsAudit.leaks(of: secrets, in: [("the logs", capture.text)]), [])
        let found = try Self.scan(stack.database, for: Array(secrets.values))
        XCTAssertEqual(found, [], "secrets in the database")
    }

    /// `table.column` of every text or blob value that contains one of `needles`.
    static func scan(_ database: OutcomeDatabase, for needles: [String]) throws -> [String] {
        try database.writer.read { db in
            var hits: [String] = []
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            XCTAssertTrue(tables.contains("inbox") && tables.contains("action"))
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"")
                for row in rows {
                    for (column, value) in row {
                        let text: String
                        switch value.storage {
                        case .string(let s): text = s
                        case .blob(let data): text = String(decoding: data, as: UTF8.self)
                        default: continue
                        }
                        for needle in needles where text.contains(needle) { hits.append("\(table).\(column)") }
                    }
                }
            }
            return hits
        }
    }
}
