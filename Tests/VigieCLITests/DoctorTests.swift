import Foundation
import OutcomeStore
import StellantisAPI
import Synchronization
import VigieKit
import VigieTestSupport
import XCTest

/// Issue 18: `vigie doctor` against `vigie sim`: every check on one line; before `vigie
/// apply` the callback and monitors fail (exit 1), after it nothing fails (exit 0); a lost
/// session fails the token store and session checks; no secret is ever printed.
final class DoctorTests: XCTestCase {
    private func doctor(_ world: PlanTestWorld, refresh: Bool = true) async -> (code: Int32, checks: [DoctorCheck]) {
        let lines = LockedChecks()
        let code = await Doctor.run(Doctor.Options(configPath: world.configPath, refresh: refresh, environment: world.environment)) {
            lines.append($0)
        }
        return (code, lines.all)
    }

    private func status(_ checks: [DoctorCheck], _ name: String) -> DoctorCheck.Status? {
        checks.first { $0.name == name }?.status
    }

    func testBeforeAndAfterApply() async throws {
        let world = try await startPlanWorld()
        try world.writeBundle("ev", thresholds: [20, 10])
        try world.writeConfig()
        let before = await doctor(world)
        XCTAssertEqual(before.code, 1)
        let names = before.checks.map(\.name)
        XCTAssertEqual(names, ["configuration", "rules", "token store", "session", "api", "rate limit", "callback", "monitors",
                               "clock", "disk", "database"], "\(before.checks.map(\.line))")
        for name in ["configuration", "rules", "token store", "session", "api", "rate limit", "clock", "disk"] {
            XCTAssertEqual(status(before.checks, name), .ok, "\(before.checks.map(\.line))")
        }
        XCTAssertEqual(status(before.checks, "callback"), .fail)
        XCTAssertTrue(before.checks.first { $0.name == "callback" }!.detail.contains("`vigie apply`"))
        XCTAssertEqual(status(before.checks, "monitors"), .fail)
        XCTAssertEqual(status(before.checks, "database"), .warn, "not created yet")

        let apply = await world.run(Deploy.apply)
        XCTAssertEqual(apply.code, 0, apply.err)
        // serve creates the database; doctor then checks its integrity and WAL.
        let database = try OutcomeDatabase(path: world.folder.appendingPathComponent("vigie.sqlite").path)
        try await database.writer.write { db in
            try db.execute(sql: "INSERT INTO inbox (receivedAt, dedupKey, body) VALUES (?, 'k', '{}')", arguments: [Date()])
        }
        let after = await doctor(world)
        XCTAssertEqual(after.code, 0, "\(after.checks.map(\.line))")
        XCTAssertEqual(after.checks.filter { $0.status == .fail }, [])
        XCTAssertEqual(status(after.checks, "callback"), .ok)
        XCTAssertTrue(after.checks.first { $0.name == "callback" }!.detail.contains("http://127.0.0.1:9/hooks/webhook/<redacted>"))
        XCTAssertEqual(status(after.checks, "monitors"), .ok)
        XCTAssertEqual(status(after.checks, "database"), .ok)
        XCTAssertEqual(status(after.checks, "wal"), .ok)
        XCTAssertTrue(after.checks.first { $0.name == "clock" }!.detail.contains("against the API's Date header"))
        let text = (before.checks + after.checks).map(\.line).joined(separator: "\n")
        XCTAssertFalse(text.contains(PlanTestWorld.webhookSecret), "the webhook secret is never printed")
        XCTAssertFalse(text.contains(world.config.clientSecret), "the client secret is never printed")
        for line in text.split(separator: "\n") {
            XCTAssertTrue(["ok ", "warn ", "fail ", "skip "].contains { line.hasPrefix($0) }, String(line))
        }
        // --no-refresh skips the session check.
        let skipped = await doctor(world, refresh: false)
        XCTAssertEqual(status(skipped.checks, "session"), .skip)
    }

    func testALostSessionFails() async throws {
        let world = try await startPlanWorld()
        try world.writeBundle("ev", thresholds: [20])
        try world.writeConfig()
        try world.write("tokens.json", "{\"accessToken\": \"a\", \"refreshToken\": \"revoked-refresh-token\", \"expiresAt\": \"2020-01-01T00:00:00Z\"}")
        let result = await doctor(world)
        XCTAssertEqual(result.code, 1)
        XCTAssertEqual(status(result.checks, "session"), .fail, "\(result.checks.map(\.line))")
        try world.removeFile("tokens.json")
        let missing = await doctor(world)
        XCTAssertEqual(status(missing.checks, "token store"), .fail)
        XCTAssertTrue(missing.checks.first { $0.name == "token store" }!.detail.contains("vigie login"))
    }

    func testBinaryUsageAndABrokenConfiguration() throws {
        let missing = try CommandRunner.vigie(["doctor", "--config", "/nonexistent/vigie.yaml"])
        XCTAssertEqual(missing.exitCode, 64)
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = try folder.write("vigie.yaml", "api: {kind: b2c}\n")
        let broken = try CommandRunner.vigie(["doctor", "--config", config.path])
        XCTAssertEqual(broken.exitCode, 1)
        XCTAssertTrue(broken.stdout.hasPrefix("fail  configuration "), broken.stdout)
    }
}

/// Checks reported from the doctor's callback.
final class LockedChecks: Sendable {
    private let checks = Mutex<[DoctorCheck]>([])
    func append(_ check: DoctorCheck) { checks.withLock { $0.append(check) } }
    var all: [DoctorCheck] { checks.withLock { $0 } }
}
