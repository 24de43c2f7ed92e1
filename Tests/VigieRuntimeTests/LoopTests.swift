import Foundation
import OutcomeStore
import RuleEngine
@testable import VigieRuntime
import XCTest

/// Loops (docs/safety.md "Loops"): more than 6 firings in an hour stop a rule for that
/// vehicle, durably, until `vigie resume`.
final class LoopTests: XCTestCase {
    private typealias F = SafetyFixtures
    private let key = SafetyKey(vin: "V1", bundle: "ev", rule: "r")

    /// Six firings 5 minutes apart (never flapping: 2 rises per 10 minutes).
    private func fireSix(_ guardrail: SafetyGuard, from start: Double = 0) {
        for k in 0..<6 {
            XCTAssertEqual(F.review(guardrail, F.decision(start + Double(k) * 300)).event, .fired, "firing \(k + 1)")
        }
    }

    func testTheSeventhFiringInAnHourStopsTheRuleForThatVehicle() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = F.makeGuard(database: db)
        fireSix(guardrail)
        let seventh = F.review(guardrail, F.decision(1800))
        XCTAssertEqual(seventh.event, .suppressed)
        XCTAssertEqual(seventh.reason, .loop)
        XCTAssertEqual(seventh.actions, [])
        // Stopped for good, even hours later, and its queued commands are held.
        XCTAssertEqual(F.review(guardrail, F.decision(30_000)).reason, .loop)
        XCTAssertEqual(guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: F.t0), .loop)
        // Only that rule on that vehicle.
        XCTAssertEqual(F.review(guardrail, F.decision(1800, vin: "V2")).event, .fired)
        XCTAssertEqual(F.review(guardrail, F.decision(1800, rule: "other")).event, .fired)
        XCTAssertNil(guardrail.dispatchHold(vin: "V2", bundle: "ev", rule: "r", now: F.t0))

        let holds = try db.activeHolds()
        XCTAssertEqual(holds.count, 1)
        XCTAssertEqual(holds[0].kind, .loop)
        XCTAssertEqual([holds[0].vin, holds[0].bundle, holds[0].rule], ["V1", "ev", "r"])
        XCTAssertEqual(holds[0].reason, "fired more than 6 times within 1 h")
        XCTAssertEqual(holds[0].createdAt, F.t0.addingTimeInterval(1800))
        XCTAssertEqual(try db.controlEvents().map(\.kind), [.loopStopped])
        XCTAssertEqual(guardrail.snapshot().holds, holds)
    }

    func testTheStopSurvivesARestartAndAResumeLetsTheRuleCountAfresh() throws {
        let path = F.temporaryDatabasePath()
        defer { F.remove(path) }
        do {
            let guardrail = F.makeGuard(database: try OutcomeDatabase(path: path))
            fireSix(guardrail)
            XCTAssertEqual(F.review(guardrail, F.decision(1800)).reason, .loop)
        }
        // A new process: counts are gone, the stop is not.
        let restarted = F.makeGuard(database: try OutcomeDatabase(path: path))
        XCTAssertEqual(F.review(restarted, F.decision(10_000)).reason, .loop)
        XCTAssertEqual(restarted.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: Date()), .loop)

        // `vigie resume --vin V1 --rule ev/r` from a third connection.
        let cli = try OutcomeDatabase(path: path)
        let lifted = try cli.resumeHolds(matching: ControlSelector(vin: "V1", bundle: "ev", rule: "r"), at: Date())
        XCTAssertEqual(lifted.map(\.kind), [.loop])
        XCTAssertNotNil(F.poll(deadline: 1) {
            restarted.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: Date()) == nil
        }, "the resume reaches the running guard within a second")
        // Counting starts afresh after the resume: six more firings go, the seventh stops it again.
        fireSix(restarted, from: 20_000)
        XCTAssertEqual(F.review(restarted, F.decision(21_800)).reason, .loop)
        XCTAssertEqual(try cli.controlEvents().map(\.kind), [.loopStopped, .resumed, .loopStopped])
    }

    func testRepeatsAndSuppressionsAreNotLoopFirings() throws {
        let guardrail = F.makeGuard(database: try OutcomeDatabase.inMemory())
        fireSix(guardrail)
        for k in 1...20 {
            XCTAssertEqual(F.review(guardrail, F.decision(1800 + Double(k) * 60, isRepeat: true)).event, .fired)
        }
        // Engine suppressions (two rises, 10 min apart: no flapping) are not firings either.
        XCTAssertEqual(F.review(guardrail, F.decision(3000, event: .suppressed, reason: .cooldown)).reason, .cooldown)
        XCTAssertEqual(F.review(guardrail, F.decision(3590, event: .suppressed, reason: .cooldown)).reason, .cooldown)
        // The first firing (at 0 s) has left the hour: this is the sixth in the window.
        XCTAssertEqual(F.review(guardrail, F.decision(3601)).event, .fired)
        // 300…1500 s and 3601 s are six firings within the hour before 3650 s.
        XCTAssertEqual(F.review(guardrail, F.decision(3650)).reason, .loop)
    }

    func testAResumeInTheSameProcessCountsAfresh() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = F.makeGuard(database: db)
        fireSix(guardrail)
        XCTAssertEqual(F.review(guardrail, F.decision(1800)).reason, .loop)
        XCTAssertEqual(try db.resumeHolds(matching: ControlSelector(vin: "V1"), at: Date()).count, 1)
        guardrail.refresh()
        // Without counting afresh, the six firings of the last hour would stop it again.
        XCTAssertEqual(F.review(guardrail, F.decision(1900)).event, .fired)
    }

    func testFiringsSpreadWiderThanTheWindowNeverStop() throws {
        let guardrail = F.makeGuard(database: try OutcomeDatabase.inMemory())
        // Every 601 s: an hour never holds more than six of them.
        for k in 0..<30 {
            XCTAssertEqual(F.review(guardrail, F.decision(Double(k) * 601)).event, .fired, "firing \(k + 1)")
        }
    }

    func testPolicyThresholdsComeFromTheConfiguration() throws {
        let config = VigieConfig(staleAfter: 120, safety: .init(paused: false, flapWindow: 60, flapMaxRises: 2,
                                                                 loopWindow: 600, loopMaxFirings: 2))
        let policy = SafetyPolicy(config: config)
        XCTAssertEqual(policy, SafetyPolicy(paused: false, flapWindow: 60, flapMaxRises: 2, loopWindow: 600,
                                            loopMaxFirings: 2, staleAfter: 120))
        let guardrail = F.makeGuard(policy, database: try OutcomeDatabase.inMemory())
        XCTAssertEqual(F.review(guardrail, F.decision(0)).event, .fired)
        XCTAssertEqual(F.review(guardrail, F.decision(100)).event, .fired)
        XCTAssertEqual(F.review(guardrail, F.decision(200)).reason, .loop)
    }
}
