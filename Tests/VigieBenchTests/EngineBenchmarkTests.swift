import XCTest
import VigieBench

/// The engine benchmark's workload decides the same however it is fed or read.
final class EngineBenchmarkTests: XCTestCase {
    /// The benchmark's workload decides the same through batches of any size (a small
    /// fleet, so that the test stays short).
    func testBenchmarkDecisionsDoNotDependOnTheBatchSize() {
        let one = EngineBenchmark.run(vehicles: 200, rules: 50, observations: 40_000, batchSize: 1)
        let many = EngineBenchmark.run(vehicles: 200, rules: 50, observations: 40_000, batchSize: 256)
        XCTAssertGreaterThan(one.fired, 100)
        XCTAssertEqual(one.decisions, many.decisions)
        XCTAssertEqual(one.fired, many.fired)
        XCTAssertEqual(one.evaluations, many.evaluations)
    }

    /// The benchmark counts the same decisions whether it reads them in place or takes
    /// them as values.
    func testBenchmarkCountsTheSameDecisionsEitherWay() {
        let inPlace = EngineBenchmark.run(vehicles: 200, rules: 50, observations: 40_000)
        let values = EngineBenchmark.run(vehicles: 200, rules: 50, observations: 40_000, materialize: true)
        XCTAssertGreaterThan(inPlace.fired, 100)
        XCTAssertEqual(inPlace.decisions, values.decisions)
        XCTAssertEqual(inPlace.fired, values.fired)
    }
}
