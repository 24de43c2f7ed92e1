import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// The optimised engine (lowered conditions, skipped rules, incremental schedules)
/// decides exactly like the reference (every rule at every observation, the checked
/// condition evaluated directly, schedules from scratch); and a replay cut anywhere and
/// restored from a snapshot decides exactly like an uninterrupted one.
final class PropertyTests: XCTestCase {
    func run(_ bundles: [CheckedBundle], _ events: [(at: Millis, vin: String, observation: Observation)],
             until: Millis, reference: Bool) -> [Decision] {
        T.replay(bundles, events, until: until, reference: reference)
    }

    func testOptimisedEqualsReference() {
        assertOptimisedEqualsReference(seeds: 1...300) { $0.events(count: 60) }
    }

    /// Small drifts flip few tests: the optimised engine skips most evaluations there.
    func testOptimisedEqualsReferenceOnDriftingTelemetry() {
        assertOptimisedEqualsReference(seeds: 5000...5300) { $0.driftingEvents(count: 150) }
    }

    /// Set membership (`alerts contains …`) and constants, which the generator's leaves do
    /// not use: mixed into its conditions, with alert sets in its events.
    func testOptimisedEqualsReferenceWithSetsAndConstants() {
        let alerts = T.f("alerts")
        let members = ["AdBlueFault", "ActiveSpoilerFault", "AbsBrakingSystemFault"]
        assertOptimisedEqualsReference(seeds: 9000...9150, bundles: { g in
            g.bundles().map { b in
                let rules = b.rules.enumerated().map { i, r in
                    let extra: Condition = i % 3 == 2 ? .constant(g.chance(0.7)) : .contains(alerts, g.pick(members))
                    let condition: Condition = g.chance(0.5) ? .and([r.condition, extra]) : .or([r.condition, .not(extra)])
                    return T.rule(r.id, condition, for: r.forSeconds, repeat: r.repeatSeconds, cooldown: r.cooldownSeconds,
                                  maxPerDay: r.maxPerDay, mode: r.mode, actions: r.actions)
                }
                return T.bundle(name: b.name, tz: b.timeZone, rules)
            }
        }) { g in
            g.driftingEvents(count: 120).map { e in
                var o = e.observation
                if g.chance(0.3) { o[alerts] = .set(members.filter { _ in g.chance(0.4) }) }
                return (e.at, e.vin, o)
            }
        }
    }

    /// Random conditions with `age(…)` tests mixed in, on streams whose values carry data
    /// times (older than the observation, sometimes older than the previous value's, or in
    /// the future): ages and their timers decide alike on both engines.
    func testOptimisedEqualsReferenceWithAges() {
        assertOptimisedEqualsReference(seeds: 11000...11150, bundles: Self.withAges, events: Self.datedEvents)
    }

    /// The same cut at every line and restored from a snapshot (age timers are implied).
    func testSnapshotRestoreWithAgesAtEveryCut() throws {
        for seed in UInt64(12000)...12030 {
            var g = RandomScenario(seed: seed)
            let bundles = Self.withAges(&g)
            let events = Self.datedEvents(&g)
            let until = events.last!.at + 12 * 3_600_000
            let whole = run(bundles, events, until: until, reference: false)
            for cut in stride(from: 0, through: events.count, by: 3) {
                let first = RuleEngine(bundles: bundles)
                var got: [Decision] = []
                for e in events[..<cut] {
                    first.observe(vin: e.vin, at: e.at, e.observation)
                    got += first.takeDecisions()
                }
                let data = try JSONEncoder().encode(first.snapshot())
                let second = RuleEngine(bundles: bundles)
                XCTAssertEqual(second.restore(try JSONDecoder().decode(EngineSnapshot.self, from: data)), [])
                for e in events[cut...] {
                    second.observe(vin: e.vin, at: e.at, e.observation)
                    got += second.takeDecisions()
                }
                second.advance(to: until)
                got += second.takeDecisions()
                XCTAssertEqual(got, whole, "seed \(seed), cut before event \(cut)")
                if got != whole { return }
            }
        }
    }

    static func withAges(_ g: inout RandomScenario) -> [CheckedBundle] {
        let fields = ["battery.level", "speed", "charging.status", "position"]
        let ops: [CompareOp] = [.lt, .le, .gt, .ge, .eq, .ne]
        return g.bundles().map { b in
            let rules = b.rules.map { r in
                let age = Condition.age(T.f(g.pick(fields)), g.pick(ops), seconds: Double(g.int(0...6) * 1800 + (g.chance(0.2) ? 1 : 0)))
                let condition: Condition = g.chance(0.3) ? age : g.chance(0.5) ? .and([r.condition, age]) : .or([r.condition, .not(age)])
                return T.rule(r.id, condition, for: r.forSeconds, repeat: r.repeatSeconds, cooldown: r.cooldownSeconds,
                              maxPerDay: r.maxPerDay, mode: r.mode, actions: r.actions)
            }
            return T.bundle(name: b.name, tz: b.timeZone, rules)
        }
    }

    static func datedEvents(_ g: inout RandomScenario) -> [(at: Millis, vin: String, observation: Observation)] {
        g.events(count: 60).map { e in
            var o = e.observation
            for f in o.values.keys where g.chance(0.6) {
                o.dataTimes[f] = e.at - Millis(g.int(-30...300)) * 60_000   // up to 5 h old, or 30 min ahead
            }
            return (e.at, e.vin, o)
        }
    }

    /// Every event is a new occurrence (SEMANTICS.md "Truth"): on random streams, a rule
    /// that is only an event decides at exactly the events counted from the stream itself
    /// (each change, each crossing), fired or suppressed by its cooldown, on both engines.
    func testEventRulesDecideAtEveryEventCountedFromTheStream() {
        let home = RandomScenario(seed: 0).zones[0]
        let status = T.f("charging.status"), level = T.f("battery.level"), position = T.f("position")
        let bundle = T.bundle([T.rule("status", .changed(status)), T.rule("level", .changed(level), cooldown: 1800),
                               T.rule("enter", .entered(home)), T.rule("cross", .or([.entered(home), .left(home)]))])
        var decided = 0
        for seed in UInt64(7000)...7060 {
            var g = RandomScenario(seed: seed)
            let events = seed % 2 == 0 ? g.events(count: 80) : g.driftingEvents(count: 150)
            var expected: [String] = []
            var last: [String: [FieldID: FieldValue]] = [:]
            var lastFired: [String: Millis] = [:]
            for e in events {
                var known = last[e.vin] ?? [:]
                func changed(_ f: FieldID) -> Bool {
                    guard let new = e.observation[f], let old = known[f] else { return false }
                    return new != old
                }
                if changed(status) { expected.append("\(e.at) \(e.vin) status fired") }
                if changed(level) {
                    let fired = lastFired[e.vin].map { e.at - $0 >= 1_800_000 } ?? true
                    if fired { lastFired[e.vin] = e.at }
                    expected.append("\(e.at) \(e.vin) level " + (fired ? "fired" : "suppressed"))
                }
                if changed(position), case .point(let a, let b)? = known[position], case .point(let c, let d)? = e.observation[position] {
                    let was = Geo.isInside(home, latitude: a, longitude: b), isNow = Geo.isInside(home, latitude: c, longitude: d)
                    if !was && isNow { expected.append("\(e.at) \(e.vin) enter fired") }
                    if was != isNow { expected.append("\(e.at) \(e.vin) cross fired") }
                }
                for (f, value) in e.observation.values { known[f] = value }
                last[e.vin] = known
            }
            for reference in [false, true] {
                let got = run([bundle], events, until: events.last!.at, reference: reference)
                    .map { "\($0.at) \($0.vin) \($0.rule) \($0.event.rawValue)" }
                XCTAssertEqual(got, expected, "seed \(seed), reference \(reference)")
                if got != expected { return }
            }
            decided += expected.count
        }
        XCTAssertGreaterThan(decided, 500, "the streams should bring many events")
    }

    private func assertOptimisedEqualsReference(
        seeds: ClosedRange<UInt64>, bundles makeBundles: (inout RandomScenario) -> [CheckedBundle] = { $0.bundles() },
        events make: (inout RandomScenario) -> [(at: Millis, vin: String, observation: Observation)],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var totalDecisions = 0
        for seed in seeds {
            var g = RandomScenario(seed: seed)
            let bundles = makeBundles(&g)
            let events = make(&g)
            let until = events.last!.at + 6 * 3_600_000
            let fast = run(bundles, events, until: until, reference: false)
            let slow = run(bundles, events, until: until, reference: true)
            totalDecisions += fast.count
            XCTAssertEqual(fast, slow, "seed \(seed)", file: file, line: line)
            if fast != slow { break }
        }
        XCTAssertGreaterThan(totalDecisions, 300, "the generator should make rules fire", file: file, line: line)
    }

    func testSnapshotRestoreAtEveryCutMatchesUninterruptedRun() throws {
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        for seed in UInt64(1000)...1040 {
            var g = RandomScenario(seed: seed)
            let bundles = g.bundles()
            let events = g.events(count: 40)
            let until = events.last!.at + 3_600_000
            let whole = run(bundles, events, until: until, reference: false)
            for cut in 0...events.count {
                let first = RuleEngine(bundles: bundles)
                var got: [Decision] = []
                for e in events[..<cut] {
                    first.observe(vin: e.vin, at: e.at, e.observation)
                    got += first.takeDecisions()
                }
                let data = try encoder.encode(first.snapshot())
                let second = RuleEngine(bundles: bundles)
                XCTAssertEqual(second.restore(try decoder.decode(EngineSnapshot.self, from: data)), [])
                for e in events[cut...] {
                    second.observe(vin: e.vin, at: e.at, e.observation)
                    got += second.takeDecisions()
                }
                second.advance(to: until)
                got += second.takeDecisions()
                XCTAssertEqual(got, whole, "seed \(seed), cut before event \(cut)")
                if got != whole { return }
            }
        }
    }
}
