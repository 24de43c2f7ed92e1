import Foundation
import OutcomeStore
import VigieRuntime
import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// Issue 3 item 7: a replay stopped anywhere and restarted from the database makes
/// exactly the decisions of an uninterrupted run (`for` timers, cooldowns, repeats,
/// daily counts and schedule windows included).
final class DecisionRecorderRestartTests: XCTestCase {
    private typealias Line = (at: Millis, vin: String, observation: Observation)

    private static let range = SourceRange(file: "restart.yaml", start: .init(line: 1, column: 1),
                                           end: .init(line: 1, column: 1))

    private static func field(_ name: String) -> FieldID { Catalog.field(named: name)!.id }

    private static let bundles: [CheckedBundle] = {
        let offPeak = Schedule(name: "off_peak", fromMinute: 22 * 60, toMinute: 6 * 60)
        let low = CheckedRule(id: "low-battery", condition: .compare(field("battery.level"), .lt, .number(20)),
                              forSeconds: 300, cooldownSeconds: 3600,
                              actions: [.remote(.chargeStart),
                                        .notify(Template(parts: [.vin, .text(" at "), .field(field("battery.level"))],
                                                         source: "{{vin}} at {{battery.level}}"))],
                              range: range)
        let plugged = CheckedRule(id: "plugged-reminder", condition: .isTrue(field("charging.plugged")),
                                  repeatSeconds: 600, maxPerDay: 3, actions: [.remote(.hornOn)], range: range)
        let fast = CheckedRule(id: "too-fast", condition: .compare(field("speed"), .gt, .number(100)),
                               cooldownSeconds: 1800, actions: [.remote(.lightsOn)], range: range)
        let night = CheckedRule(id: "night-precondition",
                                condition: .and([.compare(field("battery.level"), .lt, .number(60)), .within(offPeak)]),
                                during: [offPeak], actions: [.remote(.preconditionStart)], range: range)
        return [CheckedBundle(name: "restart", timeZone: "Europe/Paris", rules: [low, plugged, fast, night],
                              range: range)]
    }()

    /// A seeded stream over two days across midnight: three vehicles, irregular gaps.
    private static func lines(count: Int, seed: UInt64) -> [Line] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var at = RFC3339.parse("2026-03-28T20:00:00Z")!
        var out: [Line] = []
        for _ in 0..<count {
            at += Millis(next(50) * 60_000 + next(60) * 1000)
            var observation = Observation()
            switch next(3) {
            case 0: observation[field("battery.level")] = .number(Double(5 + next(70)))
            case 1: observation[field("charging.plugged")] = .bool(next(2) == 0)
            default: observation[field("speed")] = .number(Double(next(140)))
            }
            out.append((at, ["VA", "VB", "VC"][next(3)], observation))
        }
        return out
    }

    /// Runs the replay against `store`, resuming from its saved state, and stops before
    /// consuming line `stopBefore` (a crash) when given. Returns true when it finished.
    private func replay(_ lines: [Line], until: Millis, into store: OutcomeDatabase, stopBefore: Int? = nil) throws -> Bool {
        let recorder = DecisionRecorder(database: store, scope: "dry-run", dispatch: .recordOnly)
        let engine = RuleEngine(bundles: Self.bundles)
        var start = 0
        if let saved = try recorder.savedSnapshot() {
            XCTAssertEqual(engine.restore(saved.snapshot), [])
            start = Int(saved.position)
        }
        for index in start..<lines.count {
            if let stopBefore, index >= stopBefore { return false }
            engine.observe(vin: lines[index].vin, at: lines[index].at, lines[index].observation)
            let made = engine.takeDecisions()
            if !made.isEmpty { try recorder.record(made, snapshot: engine.snapshot(), position: Int64(index + 1)) }
        }
        engine.advance(to: until)
        try recorder.record(engine.takeDecisions(), snapshot: engine.snapshot(), position: Int64(lines.count))
        return true
    }

    private func recorded(_ store: OutcomeDatabase) throws -> [Decision] {
        try store.loggedDecisions().map { try XCTUnwrap($0.decision.engineDecision) }
    }

    func testEveryCutPointGivesTheUninterruptedDecisions() throws {
        let lines = Self.lines(count: 90, seed: 7)
        let until = lines.last!.at + 3 * 3_600_000
        let reference = try OutcomeDatabase.inMemory()
        XCTAssertTrue(try replay(lines, until: until, into: reference))
        let expected = try recorded(reference)
        XCTAssertGreaterThan(expected.filter { $0.event == .fired }.count, 10, "the scenario must fire")
        XCTAssertTrue(expected.contains { $0.event == .suppressed }, "the scenario must suppress")
        XCTAssertEqual(Set(expected.map(\.rule)).count, 4, "every rule must decide")

        for cut in 0...lines.count {
            let store = try OutcomeDatabase.inMemory()
            XCTAssertFalse(try replay(lines, until: until, into: store, stopBefore: cut) && cut < lines.count)
            XCTAssertTrue(try replay(lines, until: until, into: store))
            XCTAssertEqual(try recorded(store), expected, "cut before line \(cut)")
        }
    }

    func testRepeatedCrashesStillGiveTheSameDecisions() throws {
        let lines = Self.lines(count: 120, seed: 42)
        let until = lines.last!.at + 3_600_000
        let reference = try OutcomeDatabase.inMemory()
        _ = try replay(lines, until: until, into: reference)
        let expected = try recorded(reference)

        let path = SafetyFixtures.temporaryDatabasePath()
        defer { SafetyFixtures.remove(path) }
        var finished = false
        var cut = 0
        while !finished {
            cut += 17
            // A new process each time: the database is opened again from the file.
            let store = try OutcomeDatabase(path: path, durability: .normal)
            finished = try replay(lines, until: until, into: store, stopBefore: cut)
        }
        XCTAssertEqual(try recorded(OutcomeDatabase.openExisting(path: path)), expected)
    }

    func testUnchangedVehiclesAreNotWrittenAgain() throws {
        let store = try OutcomeDatabase.inMemory()
        let recorder = DecisionRecorder(database: store, scope: "s", dispatch: .recordOnly)
        let engine = RuleEngine(bundles: Self.bundles)
        let t = RFC3339.parse("2026-03-28T12:00:00Z")!
        var speeding = Observation()
        speeding[Self.field("speed")] = .number(120)
        engine.observe(vin: "VA", at: t, speeding)
        engine.observe(vin: "VB", at: t, speeding)
        try recorder.record(engine.takeDecisions(), snapshot: engine.snapshot(), position: 2)
        let first = try store.writer.read { db in try EngineStateRecord.fetchAll(db) }
        engine.observe(vin: "VB", at: t + 60_000, speeding)
        try recorder.record(engine.takeDecisions(), snapshot: engine.snapshot(), position: 3)
        let second = try store.writer.read { db in try EngineStateRecord.fetchAll(db) }
        XCTAssertEqual(first.count, 2)
        XCTAssertEqual(second.first { $0.vin == "VA" }?.updatedAt, first.first { $0.vin == "VA" }?.updatedAt)
        XCTAssertNotEqual(second.first { $0.vin == "VB" }?.state, first.first { $0.vin == "VB" }?.state)
    }
}
