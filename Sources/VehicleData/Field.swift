/// One field a rule can read: its rule-language alias, where it comes from in the API,
/// its type and unit, and whether (and how) a server-side monitor can watch it.
///
/// Fields are identified by `FieldID`, a dense index into `Catalog.fields`, so that
/// per-vehicle state can be a flat array indexed by field (no dictionary lookups on
/// the engine's hot path).
public struct Field: Sendable, Hashable {
    public let id: FieldID
    /// The rule-language name, e.g. `battery.level`.
    public let alias: String
    /// Where the value is read in a `GET .../status` payload (documentation; decoding
    /// lives in `StatusDecoder`).
    public let statusPath: String
    public let type: ValueType
    /// Whole numbers only (the API types the field `Integer`): decides threshold
    /// strictness when compiling (`<= 20` becomes `lowerThan 21`).
    public let isIntegral: Bool
    /// The monitor `data` path and the ops the API accepts for it, when a data trigger
    /// can watch this field.
    public let monitor: MonitorSupport?
    /// A one-line description for docs and hover text.
    public let summary: String

    public init(id: FieldID, alias: String, statusPath: String, type: ValueType, isIntegral: Bool = false,
                monitor: MonitorSupport? = nil, summary: String) {
        self.id = id
        self.alias = alias
        self.statusPath = statusPath
        self.type = type
        self.isIntegral = isIntegral
        self.monitor = monitor
        self.summary = summary
    }
}

/// Dense index of a field in `Catalog.fields`.
public struct FieldID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public var index: Int { Int(rawValue) }
    public static func < (a: FieldID, b: FieldID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { Catalog.fields[index].alias }
}

/// The physical dimension of a number. Values are stored in the dimension's canonical
/// unit (`canonicalUnit`); the checker converts literals given in other units.
public enum Dimension: String, Sendable, Hashable, CaseIterable {
    case percent      // %
    case distance     // km (literals may use m)
    case speed        // km/h
    case temperature  // °C
    case duration     // s (literals may use s, m, h, d)
    case power        // kW
    case scalar       // a plain number without unit

    public var canonicalUnit: String {
        switch self {
        case .percent: return "%"
        case .distance: return "km"
        case .speed: return "km/h"
        case .temperature: return "°C"
        case .duration: return "s"
        case .power: return "kW"
        case .scalar: return ""
        }
    }
}

public enum ValueType: Sendable, Hashable {
    case number(Dimension)
    case bool
    /// An enumeration: the members the API documents. Observed values outside the list
    /// are kept and equal no member.
    case enumeration([String])
    /// A set of enum members at once (e.g. active alerts).
    case enumSet([String])
    /// A geographic point (latitude, longitude).
    case point
}

/// Operators of a monitor `data` trigger (`DataTrigger.op` in api-b2c.yaml).
public enum MonitorOp: String, Sendable, Hashable, CaseIterable, Codable {
    case equalsTo, greaterThan, lowerThan, includedIn, onChange
}

public struct MonitorSupport: Sendable, Hashable {
    /// The `DataTrigger.data` path, e.g. `vehicle.energy.electric.level`.
    public let path: String
    public let ops: Set<MonitorOp>
    /// The path's type as the `DataTrigger.data` table of api-b2c.yaml states it
    /// (`Integer`, `Number`, `Boolean`, `Enum(ChargingStatusEnum)`, `N/A`…); empty when unknown.
    public let apiType: String
    public init(path: String, ops: Set<MonitorOp>, apiType: String = "") {
        self.path = path
        self.ops = ops
        self.apiType = apiType
    }
}
