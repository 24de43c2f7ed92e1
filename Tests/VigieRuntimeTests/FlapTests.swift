import Foundation
import OutcomeStore
import RuleEngine
@testable import VigieRuntime
import XCTest

/// Flapping (docs/safety.md "Flapping"): more than 4 rises in 10 minutes hold a rule's
/// firings back until it has been quiet for a full window.
final class FlapTests: XCTestCase {
    private typealias F = SafetyFixtures

    func testFourRisesFireTheFifthIsHeldAndAQuietWindowReleasesIt() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = F.makeGuard(database: db)
        for s in [0.0, 30, 60, 90] {
            XCTAssertEqual(F.review(guardrail, F.decision(s)).event, .fired, "rise at +\(s) s")
        }
        for s in [120.0, 150] {
            let held = F.review(guardrail, F.decision(s))
            XCTAssertEqual(held.event, .suppressed)
            XCTAssertEqual(held.reason, .flapping)
            XCTAssertEqual(held.actions, [])
        }
        XCTAssertEqual(guardrail.snapshot().flapping[SafetyKey(vin: "V1", bundle: "ev", rule: "r")],
                       F.t0.addingTimeInterval(120))
        // Still within a full window of the last rise (150 s): held.
        XCTAssertEqual(F.review(guardrail, F.decision(749)).reason, .flapping)
        // Quiet from 749 s to 1349 s: the hold ended at 1349 s, this rise fires.
        XCTAssertEqual(F.review(guardrail, F.decision(1349)).event, .fired)

        let journal = try db.controlEvents()
        XCTAssertEqual(journal.map(\.kind), [.flapStarted, .flapEnded])
        XCTAssertEqual(journal[0].at, F.t0.addingTimeInterval(120))
        XCTAssertEqual(journal[0].detail, "5 rises within 10 min (limit 4): firings held back")
        XCTAssertEqual(journal[1].at, F.t0.addingTimeInterval(1349))
        XCTAssertEqual([journal[0].vin, journal[0].bundle, journal[0].rule], ["V1", "ev", "r"])
        XCTAssertEqual(try db.openFlapHolds(), [])
    }

    func testEngineSuppressionsCountAsRisesAndPassUnchanged() throws {
        let guardrail = F.makeGuard(database: try OutcomeDatabase.inMemory())
        for s in [0.0, 60, 120, 180] {
            let cooled = F.decision(s, event: .suppressed, reason: .cooldown)
            XCTAssertEqual(F.review(guardrail, cooled), cooled)
        }
        let fifth = F.decision(240, event: .suppressed, reason: .maxPerDay)
        XCTAssertEqual(F.review(guardrail, fifth), fifth, "a suppression keeps the engine's reason")
        XCTAssertEqual(F.review(guardrail, F.decision(300)).reason, .flapping)
    }

    func testRepeatsAreNotRisesButAreHeldDuringAHold() throws {
        let guardrail = F.makeGuard(database: try OutcomeDatabase.inMemory())
        XCTAssertEqual(F.review(guardrail, F.decision(0)).event, .fired)
        for k in 1...10 {
            XCTAssertEqual(F.review(guardrail, F.decision(Double(k) * 30, isRepeat: true)).event, .fired, "repeat \(k)")
        }
        for s in [400.0, 410, 420, 430] { _ = F.review(guardrail, F.decision(s)) }
        XCTAssertEqual(F.review(guardrail, F.decision(440, isRepeat: true)).reason, .flapping)
    }

    func testTheWindowSlides() {
        var detector = FlapDetector(window: 600_000, maxRises: 4)
        for t: Millis in [0, 200_000, 400_000, 599_000] { XCTAssertFalse(detector.rise(.init(vin: "V", bundle: "b", rule: "r"), at: t).held) }
        // (1 s, 601 s] holds 200, 400, 599 and 601: four, not more.
        XCTAssertFalse(detector.rise(.init(vin: "V", bundle: "b", rule: "r"), at: 601_000).held)
        // (2 s, 602 s] holds five.
        let fifth = detector.rise(.init(vin: "V", bundle: "b", rule: "r"), at: 602_000)
        XCTAssertTrue(fifth.held)
        XCTAssertEqual(fifth.changes, [.started(.init(vin: "V", bundle: "b", rule: "r"), at: 602_000, rises: 5)])
    }

    func testFlappingIsCountedPerVehicleAndRule() throws {
        let guardrail = F.makeGuard(database: try OutcomeDatabase.inMemory())
        for s in [0.0, 10, 20, 30, 40] { _ = F.review(guardrail, F.decision(s)) }
        XCTAssertEqual(F.review(guardrail, F.decision(50)).reason, .flapping)
        XCTAssertEqual(F.review(guardrail, F.decision(50, vin: "V2")).event, .fired)
        XCTAssertEqual(F.review(guardrail, F.decision(50, rule: "other")).event, .fired)
        XCTAssertEqual(F.review(guardrail, F.decision(50, bundle: "other")).event, .fired)
    }

    func testAQuietHoldEndsWithoutANewRise() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = F.makeGuard(database: db)
        for s in [0.0, 10, 20, 30, 40] { _ = F.review(guardrail, F.decision(s)) }
        XCTAssertEqual(try db.openFlapHolds().count, 1)
        XCTAssertNil(guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: F.t0.addingTimeInterval(639)))
        XCTAssertEqual(try db.openFlapHolds().count, 1, "the last rise (40 s) + 600 s is not reached yet")
        _ = guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: F.t0.addingTimeInterval(640))
        XCTAssertEqual(try db.openFlapHolds(), [])
        XCTAssertEqual(try db.controlEvents().last?.at, F.t0.addingTimeInterval(640))
        XCTAssertEqual(guardrail.snapshot().flapping, [:])
    }

    func testARestartClosesTheHoldsItLeftOpen() throws {
        let path = F.temporaryDatabasePath()
        defer { F.remove(path) }
        do {
            let guardrail = F.makeGuard(database: try OutcomeDatabase(path: path))
            for s in [0.0, 10, 20, 30, 40] { _ = F.review(guardrail, F.decision(s)) }
        }
        let db = try OutcomeDatabase(path: path)
        XCTAssertEqual(try db.openFlapHolds().count, 1)
        let restarted = F.makeGuard(database: db)
        XCTAssertEqual(try db.openFlapHolds(), [])
        XCTAssertEqual(try db.controlEvents().last?.detail, "vigie serve restarted")
        XCTAssertEqual(F.review(restarted, F.decision(50)).event, .fired, "counts start afresh")
    }
}
