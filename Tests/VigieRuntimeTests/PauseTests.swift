import Foundation
import OutcomeStore
import RuleEngine
@testable import VigieRuntime
import XCTest

/// The kill switch (docs/safety.md "Kill switch"): pauses are rows of the database, so a
/// pause written by another process reaches a running guard within a second.
final class PauseTests: XCTestCase {
    private typealias F = SafetyFixtures
    private var path = ""

    override func setUp() { path = F.temporaryDatabasePath() }
    override func tearDown() { F.remove(path) }

    private func pause(_ db: OutcomeDatabase, vin: String? = nil, bundle: String? = nil, at: Date = Date()) throws {
        try db.addHold(ControlHoldRecord(kind: .pause, vin: vin, bundle: bundle, reason: "test", createdAt: at))
    }

    func testAPauseFromAnotherConnectionReachesDispatchWithinASecond() throws {
        let guardrail = F.makeGuard(database: try OutcomeDatabase(path: path))
        XCTAssertNil(guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: Date()))
        // `vigie pause` runs in another process: another connection to the same file.
        let cli = try OutcomeDatabase(path: path)
        try pause(cli)
        let paused = F.poll(deadline: 1) { guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: Date()) == .paused }
        XCTAssertNotNil(paused, "the pause must reach dispatch within a second")
        XCTAssertLessThan(paused ?? 1, 0.5, "at most one refresh interval (250 ms) plus a read")

        XCTAssertEqual(try cli.resumeHolds(matching: ControlSelector(), at: Date()).count, 1)
        XCTAssertNotNil(F.poll(deadline: 1) { guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", now: Date()) == nil },
                        "the resume must reach dispatch within a second")
    }

    func testAPauseCoversItsVehicleItsBundleOrEverything() throws {
        let db = try OutcomeDatabase(path: path)
        let guardrail = F.makeGuard(database: db)
        func held(_ vin: String, _ bundle: String) -> Bool {
            guardrail.refresh()
            return guardrail.dispatchHold(vin: vin, bundle: bundle, rule: "r", now: Date()) == .paused
        }
        try pause(db, vin: "V1")
        XCTAssertEqual([held("V1", "ev"), held("V1", "other"), held("V2", "ev")], [true, true, false])
        _ = try db.resumeHolds(matching: ControlSelector(), at: Date())

        try pause(db, bundle: "ev")
        XCTAssertEqual([held("V1", "ev"), held("V2", "ev"), held("V1", "other")], [true, true, false])
        _ = try db.resumeHolds(matching: ControlSelector(), at: Date())

        try pause(db, vin: "V1", bundle: "ev")
        XCTAssertEqual([held("V1", "ev"), held("V1", "other"), held("V2", "ev")], [true, false, false])
        _ = try db.resumeHolds(matching: ControlSelector(), at: Date())

        try pause(db)
        XCTAssertEqual([held("V1", "ev"), held("V2", "other")], [true, true])
        _ = try db.resumeHolds(matching: ControlSelector(), at: Date())
        XCTAssertEqual([held("V1", "ev"), held("V2", "other")], [false, false])
    }

    func testWhilePausedFiringsAreSuppressedAndSuppressionsPassUnchanged() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = F.makeGuard(database: db)
        try pause(db, bundle: "ev")
        guardrail.refresh()
        let firing = F.review(guardrail, F.decision(0))
        XCTAssertEqual(firing.event, .suppressed)
        XCTAssertEqual(firing.reason, .paused)
        XCTAssertEqual(firing.actions, [])
        let cooled = F.decision(10, event: .suppressed, reason: .cooldown)
        XCTAssertEqual(F.review(guardrail, cooled), cooled)
        XCTAssertEqual(F.review(guardrail, F.decision(20, bundle: "other")).event, .fired)
        // Paused firings are not loop firings: after the resume the rule has fired 0 times.
        for s in stride(from: 100.0, to: 3000, by: 300) { _ = F.review(guardrail, F.decision(s)) }
        _ = try db.resumeHolds(matching: ControlSelector(bundle: "ev"), at: Date())
        guardrail.refresh()
        for k in 0..<6 { XCTAssertEqual(F.review(guardrail, F.decision(3000 + Double(k) * 300)).event, .fired) }
    }

    func testTheConfigurationFlagPausesEverythingUntilARestartWithoutIt() throws {
        let db = try OutcomeDatabase(path: path)
        let paused = F.makeGuard(SafetyPolicy(paused: true), database: db)
        XCTAssertEqual(paused.dispatchHold(vin: "V9", bundle: "any", rule: "r", now: Date()), .paused)
        XCTAssertEqual(F.review(paused, F.decision(0)).reason, .paused)
        XCTAssertEqual(try db.activeHolds().map(\.kind), [.config], "listed by `vigie pause --list`")
        XCTAssertTrue(paused.snapshot().paused)
        // `vigie resume` does not lift it (the flag still holds the running serve).
        XCTAssertEqual(try db.resumeHolds(matching: ControlSelector(), kinds: [.pause, .loop], at: Date()), [])
        XCTAssertEqual(paused.dispatchHold(vin: "V9", bundle: "any", rule: "r", now: Date()), .paused)

        let restarted = F.makeGuard(SafetyPolicy(paused: false), database: try OutcomeDatabase(path: path))
        XCTAssertEqual(try db.activeHolds(), [])
        XCTAssertNil(restarted.dispatchHold(vin: "V9", bundle: "any", rule: "r", now: Date()))
        XCTAssertEqual(try db.controlEvents().map(\.kind), [.paused, .resumed])
    }

    func testCommandQueuedBeforeAPauseIsStaleAfterALongPause() throws {
        let db = try OutcomeDatabase(path: path)
        let guardrail = F.makeGuard(SafetyPolicy(staleAfter: 300), database: db)
        let now = Date()
        let queued = now.addingTimeInterval(-1000)
        try pause(db, vin: "V1", at: now.addingTimeInterval(-990))
        guardrail.refresh()
        XCTAssertEqual(guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", queuedAt: queued, now: now), .paused)
        _ = try db.resumeHolds(matching: ControlSelector(vin: "V1"), at: now)
        guardrail.refresh()
        // Waited 1000 s behind the pause: never sent.
        XCTAssertEqual(guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r", queuedAt: queued, now: now), .stale)
        // Queued 200 s before the resume: still fresh enough.
        XCTAssertNil(guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r",
                                            queuedAt: now.addingTimeInterval(-200), now: now))
        // Another vehicle, never paused, with an old command: not this rule's business.
        XCTAssertNil(guardrail.dispatchHold(vin: "V2", bundle: "ev", rule: "r", queuedAt: queued, now: now))
        // Queued after the resume: not held, so not stale here.
        XCTAssertNil(guardrail.dispatchHold(vin: "V1", bundle: "ev", rule: "r",
                                            queuedAt: now.addingTimeInterval(1), now: now.addingTimeInterval(400)))
    }
}
