import Foundation
import Logging
import OutcomeStore
import PostgresNIO
import PostgresStore
import RuleEngine
@testable import VigieRuntime
import XCTest

/// The guardrails on PostgreSQL read the holds from `ControlMirror`: a pause written by
/// another process (another instance's admin API) must be in force here within a second
/// (issue 20), and the guard's own writes reach the database.
final class ControlMirrorTests: XCTestCase {
    func testAPauseWrittenElsewhereIsInForceWithinASecond() async throws {
        guard let base = ProcessInfo.processInfo.environment["VIGIE_TEST_POSTGRES_URL"], !base.isEmpty else {
            return XCTFail("VIGIE_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/pg-test-cluster.sh start)\"` or `bash .ci/run`")
        }
        var logger = Logger(label: "vigie.test.mirror")
        logger.logLevel = .critical
        let admin = PostgresStore(settings: try PostgresSettings(url: base), logger: logger)
        let adminRun = Task { await admin.run() }
        let name = "vigie_mirror_\(UUID().uuidString.replacingOccurrences(of: "-", with: "_").lowercased())"
        _ = try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")).collect()
        var settings = try PostgresSettings(url: base)
        settings.database = name
        // Two stores on the database: this instance's, and "another instance".
        let mine = PostgresStore(settings: settings, logger: logger)
        let other = PostgresStore(settings: settings, logger: logger)
        let runs = [Task { await mine.run() }, Task { await other.run() }]
        do {
            try await mine.migrate()
            let mirror = ControlMirror(store: mine, staleAfter: 300, logger: logger)
            let safety = SafetyGuard(policy: SafetyPolicy(staleAfter: 300), database: mirror, logger: logger)
            try await mirror.load()
            let loop = Task { try await mirror.run() }
            defer { loop.cancel() }
            let now = Date()
            XCTAssertNil(safety.dispatchHold(vin: "V1", bundle: "b", rule: "r", now: now))

            let written = ContinuousClock.now
            _ = try await other.addHold(ControlHoldRecord(kind: .pause, vin: "V1", reason: "elsewhere", createdAt: now),
                                        detail: "test")
            var held = false
            while !held, ContinuousClock.now - written < .seconds(2) {
                _ = safety.watch(now: Date(), force: false)   // the control watcher's look
                held = safety.dispatchHold(vin: "V1", bundle: "b", rule: "r", now: Date()) == .paused
                if !held { try await Task.sleep(for: .milliseconds(20)) }
            }
            let took = ContinuousClock.now - written
            XCTAssertTrue(held, "the pause never reached this instance")
            XCTAssertLessThan(took, .seconds(1), "a pause reached this instance in \(took)")
            XCTAssertNil(safety.dispatchHold(vin: "V2", bundle: "b", rule: "r", now: Date()), "only V1 is paused")

            // The guard's own writes (a budget stop) are queued and reach the database.
            safety.recordBudgetStop(vin: "V3", at: Date())
            var journalled: [ControlEventRecord] = []
            let deadline = ContinuousClock.now + .seconds(3)
            while journalled.isEmpty, ContinuousClock.now < deadline {
                journalled = try await other.controlEvents(kind: .budgetStopped, vin: "V3", since: nil)
                if journalled.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            XCTAssertEqual(journalled.count, 1, "the budget stop was written by the mirror's loop")
        } catch {
            XCTFail("\(error)")
        }
        for run in runs { run.cancel(); await run.value }
        _ = try? await admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")).collect()
        adminRun.cancel()
        await adminRun.value
    }
}
