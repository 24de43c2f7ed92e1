import Foundation

/// A value of one monitor data path (`vehicle.energy.electric.level` → 18).
public enum MonitorDataValue: Sendable, Hashable {
    case number(Double)
    case bool(Bool)
    case string(String)
    /// A list path (`vehicle.alert`): the members present.
    case list([String])
}

/// A vehicle as a monitor sees it at one instant, keyed by monitor data path: what
/// `TriggerEvaluator` evaluates triggers against. `previous` holds the values of the
/// observation before (for `onChange`); a path absent from `data` is unknown.
public struct MonitorSnapshot: Sendable, Hashable {
    public var date: Date
    public var data: [String: MonitorDataValue]
    public var previous: [String: MonitorDataValue]?
    public var latitude: Double?
    public var longitude: Double?

    public init(date: Date, data: [String: MonitorDataValue] = [:], previous: [String: MonitorDataValue]? = nil,
                latitude: Double? = nil, longitude: Double? = nil) {
        self.date = date
        self.data = data
        self.previous = previous
        self.latitude = latitude
        self.longitude = longitude
    }
}
