import Foundation
import Logging
import OutcomeStore
import RuleEngine
@testable import VigieRuntime
import XCTest

/// Builders for the guardrail tests: decisions at offsets from a fixed instant, guards over
/// fresh databases, and polling with a deadline.
enum SafetyFixtures {
    /// 2026-09-21T…Z, a whole second.
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static let quiet = Logger(label: "vigie.safety.test") { _ in SwiftLogNoOpLogHandler() }

    static func decision(_ seconds: Double, vin: String = "V1", bundle: String = "ev", rule: String = "r",
                         event: Decision.Event = .fired, reason: Decision.Reason? = nil,
                         isRepeat: Bool = false) -> Decision {
        Decision(at: Timestamp.millis(t0.addingTimeInterval(seconds)), vin: vin, bundle: bundle, rule: rule,
                 event: event, reason: reason,
                 actions: event == .fired ? [.remote(.object(["horn": .object(["state": .string("Activated")])]))] : [],
                 isRepeat: isRepeat)
    }

    static func makeGuard(_ policy: SafetyPolicy = SafetyPolicy(), database: OutcomeDatabase) -> SafetyGuard {
        SafetyGuard(policy: policy, database: database, logger: quiet)
    }

    /// Reviews `decision` with `now` at its own instant.
    static func review(_ guardrail: SafetyGuard, _ decision: Decision) -> Decision {
        let at = Timestamp.date(decision.at)
        return guardrail.review(decision, observedAt: at, now: at)
    }

    static func temporaryDatabasePath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigie-safety-\(UUID().uuidString).sqlite").path
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Polls `probe` until it returns true or `deadline` seconds have passed (real time);
    /// returns the time it took, or nil on time-out.
    static func poll(deadline: TimeInterval, _ probe: () -> Bool) -> TimeInterval? {
        let start = Date()
        while Date().timeIntervalSince(start) < deadline {
            if probe() { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return probe() ? Date().timeIntervalSince(start) : nil
    }
}
