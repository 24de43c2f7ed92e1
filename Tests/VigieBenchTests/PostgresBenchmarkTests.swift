import Foundation
import VigieBench
import XCTest

/// The PostgreSQL benchmarks, short: `vigie bench intake --postgres` stores every
/// notification it answered, and `vigie bench cluster` measures a takeover that waits for
/// the dead owner's lease and refuses the stale owner's commit after it.
final class PostgresBenchmarkTests: XCTestCase {
    private func url() -> String? {
        let url = ProcessInfo.processInfo.environment["VIGIE_TEST_POSTGRES_URL"] ?? ""
        if url.isEmpty {
            XCTFail("VIGIE_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/pg-test-cluster.sh start)\"` or `bash .ci/run`")
            return nil
        }
        return url
    }

    func testIntakeOnPostgresStoresEverythingItAnswered() async throws {
        guard let url = url() else { return }
        var options = IntakeBenchmark.Options(requests: 40, concurrency: 4, batch: 10, maxSeconds: 20, warmup: 4)
        options.postgresURL = url
        let result = try await IntakeBenchmark.run(options)
        XCTAssertEqual(result.failures, 0)
        XCTAssertEqual(result.storedInDatabase, 400)
        XCTAssertGreaterThan(result.transactions, 0)
        let report = IntakeBenchmark.report(result, options: options)
        XCTAssertTrue(report.contains("PostgreSQL") && report.contains("synchronous_commit=on"), report)
        XCTAssertFalse(report.contains("WAL at the end"), report)
    }

    func testClusterTakeoverWaitsForTheLeaseAndFencesTheStaleOwner() async throws {
        guard let url = url() else { return }
        var options = ClusterBenchmark.Options(postgresURL: url)
        options.partitions = 4
        options.vehiclesPerPartition = 200
        options.backlog = 100
        options.lease = 1
        options.rounds = 2
        let result = try await ClusterBenchmark.run(options)
        XCTAssertEqual(result.rounds.count, 2)
        XCTAssertEqual(result.vehicles, 200)
        XCTAssertEqual(result.backlogRows, 100)
        for round in result.rounds {
            // B may take the partition only once A's lease (1 s after its last renewal) ran out.
            XCTAssertGreaterThanOrEqual(round.takeover, 1.0, "\(round)")
            XCTAssertLessThan(round.takeover, 10, "\(round)")
            XCTAssertLessThanOrEqual(round.restore, round.takeover)
            XCTAssertTrue(round.staleRefused, "the old owner's commit after the takeover is fenced")
        }
        let report = ClusterBenchmark.report(result, options: options)
        XCTAssertTrue(report.contains("refused (fenced) in 2 of 2 rounds"), report)
    }
}
