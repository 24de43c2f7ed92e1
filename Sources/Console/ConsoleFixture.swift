import Foundation
import GRDB
import OutcomeStore
import RuleEngine
import VehicleData

/// A fleet's worth of console data written straight into an outcome log: engine state
/// for `vehicles` vehicles × `rules` rules (a third pending, a tenth latched) and
/// `decisionsPerVehicle` decisions each (fired with a command and its attempt, or
/// suppressed). Used by `vigie bench console` and the console's tests.
package enum ConsoleFixture {
    package static func vin(_ i: Int) -> String { String(format: "VF3BENCH%09d", i) }

    /// A deployment as `vigie apply` records it: per vehicle, one monitor per 10 rules (at
    /// most 5, the API's limit), each serving its share of the rules.
    package static func seedDeployment(_ database: OutcomeDatabase, vehicles: Int, bundle: String, rules: [String],
                                      now: Date) throws {
        let perMonitor = max(10, (rules.count + 4) / 5)
        let groups = stride(from: 0, to: rules.count, by: perMonitor).map { Array(rules[$0..<min($0 + perMonitor, rules.count)]) }
        var monitors: [DeployedMonitorRecord] = []
        monitors.reserveCapacity(vehicles * groups.count)
        for v in 0..<vehicles {
            for (g, group) in groups.enumerated() {
                let keys = group.map { "\(bundle)/\($0)" }
                monitors.append(DeployedMonitorRecord(vin: vin(v), fleet: nil, monitorId: String(format: "mon-%07d-%d", v, g),
                                                      label: "vigie:\(keys.joined(separator: ",")):\(String(format: "%016x", v * 8 + g))",
                                                      rules: keys, deployedAt: now.addingTimeInterval(-86_400)))
            }
        }
        try database.replaceDeployment(monitors, at: now)
    }

    package static func seed(_ database: OutcomeDatabase, vehicles: Int, bundle: String, rules: [String],
                            decisionsPerVehicle: Int, now: Date, scope: String = "serve") throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let nowMillis = Int64(now.timeIntervalSince1970 * 1000)
        try database.writer.write { db in
            for v in 0..<vehicles {
                let vin = vin(v)
                let fields = [
                    FieldSnapshot(field: "battery.level", value: .number(Double(10 + v % 90)), at: nowMillis - 60_000),
                    FieldSnapshot(field: "charging.status", value: .string(v % 3 == 0 ? "InProgress" : "Disconnected"),
                                  at: nowMillis - 120_000),
                    FieldSnapshot(field: "doors.locked", value: .bool(v % 2 == 0), at: nowMillis - 3_600_000),
                ]
                var states: [RuleStateSnapshot] = []
                for (r, rule) in rules.enumerated() where (v + r) % 3 == 0 || (v + r) % 10 == 1 {
                    states.append((v + r) % 3 == 0
                        ? RuleStateSnapshot(bundle: bundle, rule: rule, phase: .pending, pendingSince: nowMillis - 30_000)
                        : RuleStateSnapshot(bundle: bundle, rule: rule, phase: .latched, lastFiredAt: nowMillis - 600_000,
                                            firedToday: 1))
                }
                let state = try encoder.encode(VehicleSnapshot(vin: vin, fields: fields, rules: states))
                try EngineStateRecord(scope: scope, vin: vin, state: state, updatedAt: now.addingTimeInterval(-5)).insert(db)
                for d in 0..<decisionsPerVehicle {
                    let rule = rules[(v + d) % rules.count]
                    let at = now.addingTimeInterval(-Double(600 + d * 60))
                    let fired = d % 2 == 0
                    var firing = FiringRecord(at: at, vin: vin, bundle: bundle, rule: rule, event: fired ? "fired" : "suppressed",
                                              reason: fired ? nil : "cooldown", actions: fired ? #"[{"horn":"on"}]"# : "[]",
                                              inboxId: nil, recordedAt: at)
                    try firing.insert(db)
                    guard fired, let firingId = firing.id else { continue }
                    var action = ActionRecord(firingId: firingId, position: 0, kind: "remote", vin: vin,
                                              payload: #"{"horn":{"action":"activate"}}"#, status: .succeeded, attempts: 1,
                                              remoteActionId: "ra-\(firingId)", createdAt: at, updatedAt: at,
                                              sentAt: at, doneAt: at.addingTimeInterval(4))
                    try action.insert(db)
                    var attempt = ActionAttemptRecord(actionId: action.id ?? 0, attempt: 1, startedAt: at,
                                                      finishedAt: at.addingTimeInterval(1), remoteActionId: "ra-\(firingId)",
                                                      httpStatus: 202, outcome: "accepted")
                    try attempt.insert(db)
                }
            }
        }
    }

    /// An inbox as serve's receiver stores it: `perVehicle` battery-level notifications per
    /// vehicle, one every `vehicles / rate` … spread evenly over the `span` seconds before
    /// `now` (vehicles interleaved), received 0–1.5 s after their date; `lateShare` of them
    /// received 10–120 s late (past any usual reorder window). All processed but those of
    /// the last minute. Returns the number of rows.
    @discardableResult
    package static func seedInbox(_ database: OutcomeDatabase, vehicles: Int, perVehicle: Int, span: Double, now: Date,
                                  lateShare: Double = 0.02) throws -> Int {
        let total = vehicles * perVehicle
        guard total > 0 else { return 0 }
        let start = Int64((now.timeIntervalSince1970 - span) * 1000)
        let step = max(1, Int64(span * 1000) / Int64(total))
        var rows: [(received: Int64, date: Int64, vin: String, level: Int)] = []
        rows.reserveCapacity(total)
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {  // SplitMix64: the same inbox every run
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for i in 0..<total {
            let date = start + Int64(i) * step
            let late = Double(next() % 10_000) < lateShare * 10_000
            let delay = late ? 10_000 + Int64(next() % 110_000) : Int64(next() % 1500)
            rows.append((date + delay, date, vin(i % vehicles), Int(5 + next() % 90)))
        }
        rows.sort { $0.received < $1.received }
        let processedBefore = Int64((now.timeIntervalSince1970 - 60) * 1000)
        try database.writer.write { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO inbox (receivedAt, dedupKey, vin, type, eventDate, body, processed, processedAt)
                VALUES (?, ?, ?, 'Monitor', ?, ?, ?, ?)
                """)
            for (i, row) in rows.enumerated() {
                let received = Timestamp.date(row.received)
                let date = RFC3339.formatUTC(row.date)
                let body = """
                    {"attributes":[{"key":"vin","value":"\(row.vin)"}],"callbackId":"cb","date":"\(date)",\
                    "monitorEvent":{"monitorId":"m1","values":[{"data":"vehicle.energy.electric.level",\
                    "value":{"body":{"literalValue":"\(row.level)"},"type":"string"}}]},"type":"Monitor"}
                    """
                let processed = row.received < processedBefore
                try insert.execute(arguments: [received, "bench-\(i)", row.vin, date, body, processed,
                                               processed ? received : nil])
            }
        }
        return total
    }
}
