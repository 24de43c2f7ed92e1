import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage
@testable import VigieRuntime
import VehicleData
import XCTest

/// The guard with the real engine in front of it, and the journal's budget entries.
final class SafetyGuardTests: XCTestCase {
    private typealias F = SafetyFixtures
    private static let range = SourceRange(file: "t.yaml", start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))

    private func engine(repeatSeconds: Double? = nil) -> RuleEngine {
        let plugged = Catalog.field(named: "charging.plugged")!.id
        let rule = CheckedRule(id: "plug", condition: .isTrue(plugged), forSeconds: nil, repeatSeconds: repeatSeconds,
                               cooldownSeconds: nil, maxPerDay: nil, mode: .single,
                               actions: [.remote(.chargeStart)], range: Self.range)
        return RuleEngine(bundles: [CheckedBundle(name: "ev", timeZone: "UTC", vehicles: .all, rules: [rule],
                                                  range: Self.range)])
    }

    private func plugged(_ value: Bool) -> Observation {
        var o = Observation()
        o[Catalog.field(named: "charging.plugged")!.id] = .bool(value)
        return o
    }

    /// Plugged and unplugged every 30 s for 20 minutes, through the engine then the guard.
    func testAPlugFlippingEvery30SecondsFiresFourTimesThenIsHeld() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = F.makeGuard(database: db)
        let engine = engine()
        var reviewed: [Decision] = []
        for k in 0..<40 {
            let at = F.t0.addingTimeInterval(Double(k) * 30)
            engine.observe(vin: "V1", at: Timestamp.millis(at), plugged(k % 2 == 0))
            reviewed += engine.takeDecisions().map { guardrail.review($0, observedAt: at, now: at) }
        }
        XCTAssertEqual(reviewed.count, 20, "one rise per minute")
        XCTAssertEqual(reviewed.prefix(4).map(\.event), Array(repeating: .fired, count: 4))
        XCTAssertEqual(Set(reviewed.dropFirst(4).map(\.reason)), [.flapping])
        XCTAssertEqual(try db.controlEvents().map(\.kind), [.flapStarted])
    }

    /// The engine marks repeat instants, so the guard does not take them for rises.
    func testRepeatDecisionsOfTheEngineAreMarkedAndNotHeld() throws {
        let guardrail = F.makeGuard(database: try OutcomeDatabase.inMemory())
        let engine = engine(repeatSeconds: 60)
        engine.observe(vin: "V1", at: Timestamp.millis(F.t0), plugged(true))
        engine.advance(to: Timestamp.millis(F.t0.addingTimeInterval(1800)))
        let made = engine.takeDecisions()
        XCTAssertEqual(made.count, 31)
        XCTAssertEqual(made.map(\.isRepeat), [false] + Array(repeating: true, count: 30))
        let reviewed = made.map { F.review(guardrail, $0) }
        XCTAssertEqual(Set(reviewed.map(\.event)), [.fired], "30 repeats are neither flapping nor a loop")
    }

    func testBudgetStopIsJournalledOncePerVehicleAndDay() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = F.makeGuard(database: db)
        let day = Date(timeIntervalSince1970: 1_790_035_200) // a UTC midnight
        guardrail.recordBudgetStop(vin: "V1", at: day.addingTimeInterval(3600))
        guardrail.recordBudgetStop(vin: "V1", at: day.addingTimeInterval(7200))
        guardrail.recordBudgetStop(vin: "V2", at: day.addingTimeInterval(7200), detail: "wake-up budget spent")
        guardrail.recordBudgetStop(vin: "V1", at: day.addingTimeInterval(86_400 + 60))
        let journal = try db.controlEvents()
        XCTAssertEqual(journal.map(\.kind), [.budgetStopped, .budgetStopped, .budgetStopped])
        XCTAssertEqual(journal.map(\.vin), ["V1", "V2", "V1"])
        XCTAssertEqual(journal[1].detail, "wake-up budget spent")
        // A restart (a new guard) does not journal the same day twice.
        F.makeGuard(database: db).recordBudgetStop(vin: "V2", at: day.addingTimeInterval(9000))
        XCTAssertEqual(try db.controlEvents().count, 3)
    }

    func testControlVersionChangesWithEveryHoldChange() throws {
        let db = try OutcomeDatabase.inMemory()
        let v0 = try db.controlVersion()
        let hold = try db.addHold(ControlHoldRecord(kind: .pause, createdAt: Date()))
        XCTAssertTrue(hold.isNew)
        let v1 = try db.controlVersion()
        XCTAssertGreaterThan(v1, v0)
        XCTAssertFalse(try db.addHold(ControlHoldRecord(kind: .pause, createdAt: Date())).isNew, "pausing twice is pausing once")
        XCTAssertEqual(try db.controlVersion(), v1)
        _ = try db.resumeHolds(matching: ControlSelector(), at: Date())
        XCTAssertGreaterThan(try db.controlVersion(), v1)
    }
}
