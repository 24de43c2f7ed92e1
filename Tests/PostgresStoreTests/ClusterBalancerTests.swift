import Foundation
import XCTest

/// Issue 20, the zombie's takeover time: a frozen instance (SIGSTOP) keeps the webhooks the
/// load balancer already gave it, unanswered, and the API sends nothing more on that
/// callback until its own time-out (10 s in `vigie sim`, which also holds every other
/// callback meanwhile). A partition with no timer due then had nothing to decide before
/// the notifications came back, and its new owner's first commit came 10–14 s after the
/// frozen owner's last renewal (cluster-test, 200 vehicles, seed 5). The balancer of the
/// harness (and docs/cluster.md's) therefore resends a webhook an instance has not
/// answered within 2 s to another instance — the dedup key makes the replay harmless.
/// `scripts/cluster-test.py --check-balancer` runs that configuration in front of two
/// backends, freezes one and POSTs through it: every POST must be answered 200 by the
/// live one within 6 s, and the frozen one must have taken some (seen once resumed).
/// With the previous configuration (`timeout server 30s`, retries on connection failures
/// only) the POSTs it took time out.
final class ClusterBalancerTests: XCTestCase {
    func testBalancerResendsWebhooksAFrozenInstanceTook() throws {
        XCTAssertNotNil(PostgresServeTests.executable("haproxy"),
                        "haproxy (Debian's haproxy) is needed by scripts/cluster-test.py --check-balancer")
        let result = try PostgresServeTests.runHarness(["--check-balancer"])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("balancer check passed"), result.stdout)
        // "balancer check: POST N answered 200 by live after T s"
        let answers = PostgresServeTests.lines(result.stdout, "balancer check: POST")
        XCTAssertEqual(answers.count, 4, result.stdout)
        XCTAssertTrue(answers.allSatisfy { $0.contains("answered 200 by live") }, result.stdout)
    }
}
