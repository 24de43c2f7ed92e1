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
