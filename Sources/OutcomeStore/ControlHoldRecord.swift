import Foundation
import GRDB

/// One row of `controlHold`: something that keeps commands from being sent, active while
/// `resumedAt` is nil (docs/safety.md).
///
/// - `pause`: `vigie pause` — every vehicle, one vehicle, one bundle, or a vehicle's bundle
///   (`vin`/`bundle` nil = any).
/// - `config`: `safety.paused: true` in the configuration of the running `vigie serve`.
/// - `loop`: a rule that fired in a loop on one vehicle (`vin`, `bundle`, `rule` all set).
public struct ControlHoldRecord: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case pause, config, loop
    }

    public var id: Int64?
    public var kind: Kind
    public var vin: String?
    public var bundle: String?
    public var rule: String?
    /// Why (the `--reason` text, or the guardrail's explanation).
    public var reason: String?
    public var createdAt: Date
    public var resumedAt: Date?

    public init(id: Int64? = nil, kind: Kind, vin: String? = nil, bundle: String? = nil, rule: String? = nil,
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

    public var isActive: Bool { resumedAt == nil }

    /// True when this hold covers a command or firing of `rule` of `bundle` for `vin`
    /// (nil parts of the hold match anything).
    public func covers(vin: String, bundle: String, rule: String) -> Bool {
        (self.vin == nil || self.vin == vin) && (self.bundle == nil || self.bundle == bundle)
            && (self.rule == nil || self.rule == rule)
    }

    /// `all vehicles`, `vin V`, `bundle B`, `vin V, rule B/R`… for messages and listings.
    public var scopeDescription: String {
        var parts: [String] = []
        if let vin { parts.append("vin \(vin)") }
        if let rule { parts.append("rule \(bundle ?? "*")/\(rule)") } else if let bundle { parts.append("bundle \(bundle)") }
        return parts.isEmpty ? "all vehicles" : parts.joined(separator: ", ")
    }
}

extension ControlHoldRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "controlHold"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let kind = Column(CodingKeys.kind)
        public static let vin = Column(CodingKeys.vin)
        public static let bundle = Column(CodingKeys.bundle)
        public static let rule = Column(CodingKeys.rule)
        public static let reason = Column(CodingKeys.reason)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let resumedAt = Column(CodingKeys.resumedAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
