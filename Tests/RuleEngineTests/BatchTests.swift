@testable import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// `observe(batch:)` (with its look-ahead prefetching of vehicle state and timers) decides
/// exactly like observing one observation at a time, whatever the batch boundaries.
final class BatchTests: XCTestCase {
    typealias Event = (at: Millis, vin: String, observation: Observation)

    /// Observes `events` in batches of `size` (handles, sorted value pairs), then runs the
    /// timers through `until`.
    func runInBatches(_ bundles: [CheckedBundle], _ events: [Event], size: Int, until: Millis) -> [Decision] {
        let engine = RuleEngine(bundles: bundles)
        var out: [Decision] = []
        var first = 0
        while first < events.count {
            let last = min(events.count, first + size)
            // Handles are taken in event order, as a driver meeting new vehicles would.
            let batch = events[first..<last].map { e in
                BatchObservation(vehicle: engine.handle(vin: e.vin), at: e.at,
                                 values: e.observation.values.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 })
            }
            engine.observe(batch: batch)
            out += engine.takeDecisions()
            first = last
        }
        engine.advance(to: until)
        return out + engine.takeDecisions()
    }

    func testBatchesDecideLikeTheReferenceOneByOne() {
        var total = 0
        for seed in UInt64(7000)...7150 {
            var g = RandomScenario(seed: seed)
            let bundles = g.bundles()
            let events = seed % 2 == 0 ? g.events(count: 80) : g.driftingEvents(count: 150)
            let until = events.last!.at + 6 * 3_600_000
            let expected = T.replay(bundles, events, until: until, reference: true)
            total += expected.count
            for size in [1, 3, RuleEngine.prefetchDistance, 64] {
                let got = runInBatches(bundles, events, size: size, until: until)
                XCTAssertEqual(got, expected, "seed \(seed), batches of \(size)")
                if got != expected { return }
            }
        }
        XCTAssertGreaterThan(total, 300, "the generator should make rules fire")
    }

    /// Decisions read in place (`takeDecisions(_:)`) are the decisions taken as values,
    /// accessor by accessor, over random scenarios with notify texts, remote bodies and
    /// suppressions; the buffers are cleared after each take.
    func testDecisionsReadInPlaceAreTheDecisionsTaken() {
        var compared = 0
        for seed in UInt64(7200)...7260 {
            var g = RandomScenario(seed: seed)
            let bundles = g.bundles()
            let events = g.driftingEvents(count: 150)
            let expected = T.replay(bundles, events, until: events.last!.at + 3_600_000, reference: true)
            let engine = RuleEngine(bundles: bundles)
            var got: [Decision] = []
            for e in events {
                engine.observe(vin: e.vin, at: e.at, e.observation)
                engine.takeDecisions { pending in
                    for i in pending.indices {
                        let d = pending[i]
                        XCTAssertEqual(pending.at(i), d.at)
                        XCTAssertEqual(pending.event(i), d.event)
                        XCTAssertEqual(pending.vehicle(i), engine.handle(vin: d.vin))
                        got.append(d)
                    }
                }
                XCTAssertEqual(engine.pendingDecisionCount, 0)
            }
            engine.advance(to: events.last!.at + 3_600_000)
            got += engine.takeDecisions()
            XCTAssertEqual(got, expected, "seed \(seed)")
            compared += got.count
        }
        XCTAssertGreaterThan(compared, 200)
    }

    /// The public prefetch hint is harmless for any handle, even one never given out.
    func testPrefetchHintChangesNothing() {
        let engine = RuleEngine(bundles: [T.bundle([T.rule("low", T.lt("battery.level", 20))])])
        let v = engine.handle(vin: "V1")
        engine.prefetch(v, fields: [T.f("battery.level"), T.f("position")])
        engine.prefetch(VehicleHandle(index: 99), fields: [T.f("battery.level")])
        engine.observe(batch: [BatchObservation(vehicle: v, at: 1_000, values: [(T.f("battery.level"), FieldValue.number(10))])])
        XCTAssertEqual(engine.takeDecisions().map(\.rule), ["low"])
    }
}
