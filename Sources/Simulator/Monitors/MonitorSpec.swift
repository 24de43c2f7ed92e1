import Foundation
import VehicleData

/// A monitor definition as the simulator understands it (parsed from `MonitorParameter`).
public struct MonitorSpec: Sendable, Hashable {
    public struct Trigger: Sendable, Hashable {
        public var name: String
        public var kind: Kind
    }

    public enum Kind: Sendable, Hashable {
        case zone(inside: Bool, center: GeoCoordinate, radiusKm: Double)
        case time(windows: [TimeWindow], timeZone: TimeZone)
        case data(path: String, op: String, values: [String])
    }

    public struct TimeWindow: Sendable, Hashable {
        public enum Start: Sendable, Hashable {
            /// `recurrence: None`: from an instant, for `duration` (open-ended when nil).
            case absolute(Date)
            /// `recurrence: Daily`: `offset` seconds after local midnight on the given days.
            case daily(offset: TimeInterval, days: Set<Int>, weeks: Set<Int>?)
        }
        public var start: Start
        public var duration: TimeInterval?
    }

    public var label: String
    public var refreshEvent: TimeInterval?
    public var extendedEventParam: [String]
    /// Monitor `attributes` (`Body` ones are added to the message's `attributes`).
    public var attributes: [CallbackSpec.Attribute]
    public var triggers: [Trigger]
    public var boolExp: SimBoolExpr
    /// The body as posted, echoed by GET.
    public var raw: JSONValue
    /// B2B only: the monitor carries its own callback (`subscribeParam.callback` etc.).
    public var fleetCallback: CallbackSpec?
}
