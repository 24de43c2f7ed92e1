import Foundation
import RuleEngine
import RuleLanguage
import VehicleData

/// `vigie bench engine`: many vehicles, rules of the kinds in Rules/, a long stream of
/// observations; measures throughput, decisions, peak memory and state per vehicle.
package enum EngineBenchmark {
    package struct Result: Sendable {
        package var vehicles: Int
        package var rules: Int
        package var observations: Int
        package var seconds: Double
        package var decisions: Int
        package var fired: Int
        package var stateBytesPerVehicle: Int
        package var rssGrowthBytesPerVehicle: Int
        package var peakRSSBytes: Int
        package var evaluations: Int
        /// CPU time of the timed loop's thread (the wall time also counts other processes
        /// of a shared machine).
        package var cpuSeconds: Double = 0
        package var observationsPerSecond: Double { Double(observations) / seconds }
        package var observationsPerCPUSecond: Double { Double(observations) / max(cpuSeconds, 1e-9) }
    }

    package static func run(vehicles: Int = 10_000, rules: Int = 50, observations: Int = 1_000_000,
                           seed: UInt64 = 42, batchSize: Int = 256, materialize: Bool = false,
                           fullSnapshot: Bool = false) -> Result {
        let bundle = EngineBenchmarkBundle.make(rules: rules)
        var generator = BenchStream(seed: seed, vehicles: vehicles)
        generator.fullSnapshot = fullSnapshot
        let stream = generator.make(count: observations, start: RFC3339.parse("2026-03-02T00:00:00Z")!)
        let before = ProcessMetrics.currentRSSBytes()
        let engine = RuleEngine(bundles: [bundle])
        let handles = (0..<vehicles).map { engine.handle(vin: BenchStream.vin($0)) }
        var decisions = 0, fired = 0
        let clock = ContinuousClock()
        let cpuStart = ProcessMetrics.threadCPUSeconds()
        let start = clock.now
        // The stream in order, in batches (as the runtime consumes its inbox), through the
        // batch API; the decisions are taken between batches.
        // Buffers of the stream read in place (no reference counting per element), through
        // `observe(flatBatch:)`: the batch code specialised in the engine's module (the
        // generic `observe(batch:)` reaches this module unspecialised, several times slower).
        var batch: [FlatBatchObservation] = []
        batch.reserveCapacity(batchSize)
        stream.values.withUnsafeBufferPointer { values in
            stream.offsets.withUnsafeBufferPointer { offsets in
                var first = 0
                while first < observations {
                    let last = min(observations, first + batchSize)
                    batch.removeAll(keepingCapacity: true)
                    for i in first..<last {
                        batch.append(FlatBatchObservation(
                            vehicle: handles[Int(stream.vehicle[i])], at: stream.at[i],
                            values: UnsafeBufferPointer(rebasing: values[Int(offsets[i])..<Int(offsets[i + 1])]),
                            dataTimes: nil))
                    }
                    engine.observe(flatBatch: batch)
                    first = last
                    if engine.pendingDecisionCount > 4096 {
                        take(engine, materialize: materialize, decisions: &decisions, fired: &fired)
                    }
                }
            }
        }
        let elapsed = clock.now - start
        let cpu = ProcessMetrics.threadCPUSeconds() - cpuStart
        take(engine, materialize: materialize, decisions: &decisions, fired: &fired)
        let after = ProcessMetrics.currentRSSBytes()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(vehicles: vehicles, rules: bundle.rules.count, observations: observations, seconds: seconds,
                      decisions: decisions, fired: fired, stateBytesPerVehicle: engine.stateBytesPerVehicle,
                      rssGrowthBytesPerVehicle: max(0, after - before) / max(1, vehicles),
                      peakRSSBytes: ProcessMetrics.peakRSSBytes(), evaluations: engine.evaluations, cpuSeconds: cpu)
    }

    /// Takes the engine's decisions and counts them: read in place (`PendingDecisions`),
    /// or each as a `Decision` value, as dry-run and serve take them (`materialize`).
    private static func take(_ engine: RuleEngine, materialize: Bool, decisions: inout Int, fired: inout Int) {
        if materialize {
            let made = engine.takeDecisions()
            decisions += made.count
            fired += made.reduce(0) { $0 + ($1.event == .fired ? 1 : 0) }
        } else {
            engine.takeDecisions { made in
                decisions += made.count
                for i in made.indices where made.event(i) == .fired { fired += 1 }
            }
        }
    }
}
