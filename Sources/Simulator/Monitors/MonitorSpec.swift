import Foundation
import VehicleData

/// A monitor definition as the simulator understands it (parsed from `MonitorParameter`).
package struct MonitorSpec: Sendable, Hashable {
    package struct Trigger: Sendable, Hashable {
        package var name: String
        package var kind: Kind
    }

    package enum Kind: Sendable, Hashable {
        case zone(inside: Bool, center: GeoCoordinate, radiusKm: Double)
        case time(windows: [TimeWindow], timeZone: TimeZone)
        case data(path: String, op: String, values: [String])
    }

    package struct TimeWindow: Sendable, Hashable {
        package enum Start: Sendable, Hashable {
            /// `recurrence: None`: from an instant, for `duration` (open-ended when nil).
            case absolute(Date)
            /// `recurrence: Daily`: `offset` seconds after local midnight on the given days.
            case daily(offset: TimeInterval, days: Set<Int>, weeks: Set<Int>?)
        }
        package var start: Start
        package var duration: TimeInterval?
    }

    package var label: String
    package var refreshEvent: TimeInterval?
    package var extendedEventParam: [String]
    /// Monitor `attributes` (`Body` ones are added to the message's `attributes`).
    package var attributes: [CallbackSpec.Attribute]
    package var triggers: [Trigger]
    package var boolExp: SimBoolExpr
    /// The body as posted, echoed by GET.
    package var raw: JSONValue
    /// B2B only: the monitor carries its own callback (`subscribeParam.callback` etc.).
    package var fleetCallback: CallbackSpec?
}
