import Foundation
import OutcomeStore
import PostgresStore
import VigieTestSupport
import XCTest

/// `vigie migrate --from FILE --to URL` (docs/cluster.md): what the SQLite store holds,
/// PostgreSQL holds after it — decisions, actions, engine state, holds, the unprocessed
/// inbox, commands in flight — ids continue after the copied ones, the file is marked as
/// moved, and a target that is not empty is refused without a write.
final class PostgresMigrateTests: XCTestCase {
    func testMigrateCopiesADeploymentAndRefusesASecondCopy() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let pg = try await cluster.makeStore()
            let url = try await cluster.url(of: pg)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-migrate-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("vigie.sqlite").path
            do {
                let lite = try OutcomeDatabase(path: file)
                try await PostgresConsoleTests.seed(lite)
                _ = try lite.addHold(ControlHoldRecord(kind: .pause, vin: "V2", reason: "maintenance",
                                                       createdAt: PostgresConsoleTests.at(70)), detail: "test")
            }
            let lite = try OutcomeDatabase(path: file)
            let before = try lite.loggedDecisions(LogFilter())

            let result = try CommandRunner.vigie(["migrate", "--from", file, "--to", url], in: folder)
            XCTAssertEqual(result.exitCode, 0, result.stderr)
            XCTAssertTrue(result.stdout.contains("firing 3"), result.stdout)
            XCTAssertTrue(result.stdout.contains("inbox 3"), result.stdout)
            XCTAssertFalse(result.stdout.contains(":vigie@") || result.stderr.contains("password"), "no secret printed")

            let after = try await pg.loggedDecisions(LogFilter())
            XCTAssertEqual(after.map(\.firing.id), before.map(\.firing.id), "ids kept")
            XCTAssertEqual(after.map(\.decision), before.map(\.decision))
            XCTAssertEqual(after.map { $0.actionRecords.map(\.status) }, before.map { $0.actionRecords.map(\.status) })
            let state = try await pg.engineState(scope: "serve")
            XCTAssertEqual(state.vehicles, try lite.engineState(scope: "serve").vehicles)
            XCTAssertEqual(state.checkpoint?.position, 1)
            let holds = try await pg.activeHolds()
            XCTAssertEqual(holds.map(\.vin), ["V2"])
            let unprocessed = try await pg.unprocessedInbox(after: 0, limit: 10)
            XCTAssertEqual(unprocessed.map(\.id), [2, 3])
            let flying = try await pg.inFlightDispatchItems()
            XCTAssertEqual(flying.map(\.vin), ["V1"], "the command in flight is still in flight, to be reconciled")
            let knownRemotes = try await pg.knownRemoteActionIds(vin: "V1")
            XCTAssertEqual(knownRemotes, ["RA-1"])
            // Ids continue after the copied rows.
            let receipt = try await pg.appendIntake(IntakeBatch(notifications: [
                .init(dedupKey: "n4", vin: "V1", type: "Status", eventDate: "2026-11-23T06:31:00Z", body: "{}"),
            ]), at: PostgresConsoleTests.at(80))
            XCTAssertEqual(receipt.duplicates, 0)
            let next = try await pg.unprocessedInbox(after: 3, limit: 10)
            XCTAssertEqual(next.map(\.id), [4])
            let firingIds = try await pg.commit(DecisionCommit(scope: "serve", decisions: [
                PostgresConsoleTests.fired(90, vin: "V3", rule: "r"),
            ]), now: PostgresConsoleTests.at(90))
            XCTAssertGreaterThan(firingIds.first ?? 0, before.compactMap(\.firing.id).max() ?? 0)

            // The file is marked; a second copy is refused, and so is a non-empty target.
            XCTAssertNotNil(try lite.movedTo())
            let again = try CommandRunner.vigie(["migrate", "--from", file, "--to", url], in: folder)
            XCTAssertEqual(again.exitCode, 1)
            XCTAssertTrue(again.stderr.contains("already migrated"), again.stderr)
            let other = folder.appendingPathComponent("other.sqlite").path
            try await PostgresConsoleTests.seed(try OutcomeDatabase(path: other))
            let full = try CommandRunner.vigie(["migrate", "--from", other, "--to", url], in: folder)
            XCTAssertEqual(full.exitCode, 1)
            XCTAssertTrue(full.stderr.contains("already holds a deployment"), full.stderr)
            XCTAssertNil(try OutcomeDatabase(path: other).movedTo(), "a refused copy leaves the file as it was")
            let usage = try CommandRunner.vigie(["migrate", "--from", other], in: folder)
            XCTAssertEqual(usage.exitCode, 64, usage.stderr)
        }
    }

    /// A target that refuses connections: exit 1 at once (the pool alone retried it without
    /// end: migrate hung), naming the server and the reason, never the password; the file
    /// is not marked as moved.
    func testMigrateToARefusingServerFailsAtOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("vigie.sqlite").path
        try await PostgresConsoleTests.seed(try OutcomeDatabase(path: file))
        let asked = ContinuousClock.now
        let result = try CommandRunner.vigie(["migrate", "--from", file, "--to-env", "TARGET"], in: folder,
                                             environment: ["TARGET": "postgres://vigie:pa55word@127.0.0.1:1/none?sslmode=disable"])
        XCTAssertLessThan(ContinuousClock.now - asked, .seconds(10), "a refused connection fails at once")
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        XCTAssertEqual(result.stderr, "error: postgres://vigie@127.0.0.1:1/none: connection refused\n")
        XCTAssertNil(try OutcomeDatabase(path: file).movedTo(), "nothing was copied: the file is not marked")
    }
}
