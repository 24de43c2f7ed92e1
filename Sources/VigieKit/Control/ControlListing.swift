import Foundation
import OutcomeStore
import VehicleData

/// How `vigie pause --list` prints what is held: a readable table, or JSON Lines (one
/// hold a line, sorted keys).
enum ControlListing {
    struct Entry: Equatable {
        /// `pause`, `config`, `loop` or `flapping`.
        var kind: String
        var vin: String?
        var bundle: String?
        var rule: String?
        var since: Date
        var reason: String?
        var scope: String

        init(hold: ControlHoldRecord) {
            kind = hold.kind.rawValue
            vin = hold.vin
            bundle = hold.bundle
            rule = hold.rule
            since = hold.createdAt
            reason = hold.reason
            scope = hold.scopeDescription
        }

        init(flap: ControlEventRecord) {
            kind = "flapping"
            vin = flap.vin
            bundle = flap.bundle
            rule = flap.rule
            since = flap.at
            reason = flap.detail
            scope = ControlHoldRecord(kind: .loop, vin: flap.vin, bundle: flap.bundle, rule: flap.rule,
                                      createdAt: flap.at).scopeDescription
        }

        var jsonValue: JSONValue {
            func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
            return .object(["kind": .string(kind), "vin": text(vin), "bundle": text(bundle), "rule": text(rule),
                            "since": .string(Timestamp.format(since)), "reason": text(reason)])
        }
    }

    static func text(_ entries: [Entry]) -> String {
        guard !entries.isEmpty else { return "nothing held\n" }
        let kindWidth = entries.map(\.kind.count).max() ?? 0
        let scopeWidth = entries.map(\.scope.count).max() ?? 0
        var out = ""
        for entry in entries {
            out += entry.kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0) + "  "
            out += entry.scope.padding(toLength: scopeWidth, withPad: " ", startingAt: 0) + "  "
            out += "since " + Timestamp.format(entry.since)
            if let reason = entry.reason { out += "  " + reason }
            out += "\n"
        }
        return out + (entries.count == 1 ? "1 hold\n" : "\(entries.count) holds\n")
    }

    static func json(_ entries: [Entry]) -> String {
        entries.map { StoreJSON.string($0.jsonValue) + "\n" }.joined()
    }
}
