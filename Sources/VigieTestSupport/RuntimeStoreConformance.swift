import Foundation
import OutcomeStore
import VehicleData

/// The checks every `RuntimeStore` must pass (SQLite file, SQLite in memory, PostgreSQL):
/// the invariants the runtime relies on, whatever database keeps them. A test target runs
/// `run()` with a factory of fresh, empty stores and fails with the list it returns.
///
/// Each check gets a new store. `armFailure` must make every later write of an engine
/// checkpoint of scope `RuntimeStoreConformance.failingScope` throw inside the store's
/// transaction (a trigger does it), so that a step can be made to fail after its
/// decisions, commands and states were written: the atomicity check.
package struct RuntimeStoreConformance: Sendable {
    package typealias Factory = @Sendable () async throws -> any RuntimeStore

    /// The checkpoint scope whose writes `armFailure` makes fail.
    package static let failingScope = "conformance-failing"

    package let makeStore: Factory
    package let armFailure: @Sendable (any RuntimeStore) async throws -> Void
    /// Concurrent tasks in the concurrency checks.
    package let concurrency: Int

    package init(concurrency: Int = 8, makeStore: @escaping Factory,
                armFailure: @escaping @Sendable (any RuntimeStore) async throws -> Void) {
        self.concurrency = concurrency
        self.makeStore = makeStore
        self.armFailure = armFailure
    }

    /// A failed expectation: the check's name and what was wrong.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var check: String
        package var message: String
        package var description: String { "\(check): \(message)" }
    }

    /// The checks by name, in the order `run` runs them.
    package var checks: [(name: String, run: @Sendable (any RuntimeStore) async throws -> Void)] {
        [
            ("dedup key unique", dedupKeyIsUnique),
            ("inbox read in commit order", inboxIsReadInCommitOrder),
            ("decision step atomic", decisionStepIsAtomic),
            ("one in-flight command per vehicle", oneCommandInFlightPerVehicle),
            ("claimed only while queued", claimOnlyWhileQueued),
            ("unique attempt per command", attemptsAreUniquePerCommand),
            ("one open hold per scope", oneOpenHoldPerScope),
            ("budget counted by the claim", budgetCountsTheClaim),
            ("checkpoints round-trip", checkpointsRoundTrip),
            ("log queries", logQueries),
            ("remote events and queue depths", remoteEventsAndQueueDepths),
            ("grouped claims", groupedClaims),
            ("grouped acceptances", groupedAcceptances),
            ("manual command queued like a rule's", manualCommandQueuedLikeARulesCommand),
            ("deployment replaced whole", deploymentReplacedWhole),
            ("one open alert incident per key", oneOpenAlertIncidentPerKey),
            ("trace reads bounded", traceReadsAreBounded),
        ] + notificationChecks + pgopsChecks
    }

    /// Runs every check (or those whose name contains `only`) on fresh stores; returns the
    /// failures, empty when the store conforms. A check that throws is a failure.
    package func run(only: String? = nil) async -> [Failure] {
        var failures: [Failure] = []
        for check in checks where only.map({ check.name.contains($0) }) ?? true {
            do {
                let store = try await makeStore()
                try await check.run(store)
            } catch let failure as Failure {
                failures.append(Failure(check: check.name, message: failure.message))
            } catch {
                failures.append(Failure(check: check.name, message: "threw \(error)"))
            }
        }
        return failures
    }

    // MARK: Fixtures

    /// Whole milliseconds: every store keeps at least that precision.
    static let t0 = Date(timeIntervalSince1970: 1_772_488_800)  // 2026-03-02T22:00:00Z

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static let chargeStart: JSONValue = .object(["charging": .object(["immediate": .bool(true)])])
    static let wakeUp: JSONValue = .object(["wakeUp": .object(["action": .string("WakeUp")])])

    static func notification(_ key: String, vin: String = "V1") -> IntakeBatch.Notification {
        .init(dedupKey: key, vin: vin, type: "Status", eventDate: "2026-03-02T22:00:00Z", body: "{\"k\":\"\(key)\"}")
    }

    static func fired(_ seconds: Double, vin: String = "V1", rule: String = "r", bundle: String = "b",
                      remote: JSONValue = chargeStart, notify: String? = nil) -> DecisionRecord {
        var actions: [DecisionRecord.Action] = [.remote(remote)]
        if let notify { actions.append(.notify(notify)) }
        return DecisionRecord(at: at(seconds), vin: vin, bundle: bundle, rule: rule, event: .fired, actions: actions)
    }

    /// Queues one command per decision (in order) and returns their dispatch items.
    static func queue(_ decisions: [DecisionRecord], in store: any RuntimeStore) async throws -> [DispatchItem] {
        try await store.commit(DecisionCommit(scope: "serve", decisions: decisions), now: at(0))
        let items = try await store.nextDispatchItems(at: at(3600), limit: 1000)
        return items
    }

    static let noRetry: DispatchRetryRule = { _, _ in nil }
}

/// Throws a `Failure` (its check is filled in by `run`) when `condition` is false.
func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw RuntimeStoreConformance.Failure(check: "", message: message()) }
}

/// Throws unless `actual == expected`.
func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
    try expect(actual == expected, "\(what): got \(actual), expected \(expected)")
}
