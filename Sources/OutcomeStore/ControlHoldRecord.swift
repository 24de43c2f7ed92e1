import Foundation
import GRDB

/// One row of `controlHold`: something that keeps commands from being sent, active while
/// `resumedAt` is nil (docs/safety.md).
///
/// - `pause`: `vigie pause` — every vehicle, one vehicle, one bundle, or a vehicle's bundle
///   (`vin`/`bundle` nil = any).
/// - `config`: `safety.paused: true` in the configuration of the running `vigie serve`.
/// - `loop`: a rule that fired in a loop on one vehicle (`vin`, `bundle`, `rule` all set).
package struct ControlHoldRecord: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case pause, config, loop
    }

    package var id: Int64?
    package var kind: Kind
    package var vin: String?
    package var bundle: String?
    package var rule: String?
    /// Why (the `--reason` text, or the guardrail's explanation).
    package var reason: String?
    package var createdAt: Date
    package var resumedAt: Date?

    package init(id: Int64? = nil, kind: Kind, vin: String? = nil, bundle: String? = nil, rule: String? = nil,
                reason: String? = nil, createdAt: Date, resumedAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.reason = reason
        self.createdAt = createdAt
        self.resumedAt = resumedAt
    }

    package var isActive: Bool { resumedAt == nil }

    /// True when this hold covers a command or firing of `rule` of `bundle` for `vin`
    /// (nil parts of the hold match anything).
    package func covers(vin: String, bundle: String, rule: String) -> Bool {
        (self.vin == nil || self.vin == vin) && (self.bundle == nil || self.bundle == bundle)
            && (self.rule == nil || self.rule == rule)
    }

    /// `all vehicles`, `vin V`, `bundle B`, `vin V, rule B/R`… for messages and listings.
    package var scopeDescription: String {
        var parts: [String] = []
        if let vin { parts.append("vin \(vin)") }
        if let rule { parts.append("rule \(bundle ?? "*")/\(rule)") } else if let bundle { parts.append("bundle \(bundle)") }
        return parts.isEmpty ? "all vehicles" : parts.joined(separator: ", ")
    }
}

extension ControlHoldRecord: FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "controlHold"

    package enum Columns {
        package static let id = Column(CodingKeys.id)
        package static let kind = Column(CodingKeys.kind)
        package static let vin = Column(CodingKeys.vin)
        package static let bundle = Column(CodingKeys.bundle)
        package static let rule = Column(CodingKeys.rule)
        package static let reason = Column(CodingKeys.reason)
        package static let createdAt = Column(CodingKeys.createdAt)
        package static let resumedAt = Column(CodingKeys.resumedAt)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
