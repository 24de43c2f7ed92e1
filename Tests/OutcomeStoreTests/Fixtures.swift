import Foundation
import OutcomeStore
import VehicleData

/// Shared test data: instants and decisions.
enum Fixtures {
    static let t0 = Timestamp.parse("2026-03-02T22:00:00Z")!

    static func at(_ minutes: Double) -> Date { t0.addingTimeInterval(minutes * 60) }

    static let chargeStart: JSONValue = .object(["charging": .object(["immediate": .bool(true)])])
    static let hornOn: JSONValue = .object(["horn": .object(["state": .string("Activated")])])

    static func fired(_ minutes: Double, vin: String = "VF3A", rule: String = "low-battery",
                      bundle: String = "ev", actions: [DecisionRecord.Action]? = nil) -> DecisionRecord {
        DecisionRecord(at: at(minutes), vin: vin, bundle: bundle, rule: rule, event: .fired,
                       actions: actions ?? [.remote(chargeStart), .notify("\(vin): battery low")])
    }

    static func suppressed(_ minutes: Double, vin: String = "VF3A", rule: String = "low-battery",
                           reason: String = "cooldown") -> DecisionRecord {
        DecisionRecord(at: at(minutes), vin: vin, bundle: "ev", rule: rule, event: .suppressed, reason: reason,
                       actions: [])
    }

    /// A temporary file path, removed with its WAL files by `cleanup`.
    static func temporaryDatabasePath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("vigie-test-\(UUID().uuidString).sqlite").path
    }

    static func cleanup(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
