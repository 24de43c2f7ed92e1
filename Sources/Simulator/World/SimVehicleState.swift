import Foundation

/// The live state of one simulated vehicle: what the car would report.
public struct SimVehicleState: Sendable, Hashable {
    public enum Activity: Sendable, Hashable {
        /// Parked at a place until the next departure, then going to place `next`.
        case parked(at: Int, until: Date, next: Int)
        /// Driving from one place to another.
        case driving(from: Int, to: Int, distanceKm: Double, doneKm: Double, speedKmh: Double)
    }

    public var activity: Activity
    public var position: GeoCoordinate
    public var heading: Int
    public var speedKmh: Double
    public var odometerKm: Double
    /// Traction battery state of charge, % (0 for thermic vehicles).
    public var batteryLevel: Double
    public var fuelLevel: Double
    public var plugged: Bool
    public var charging: Bool
    /// `Finished` once a charge reached its target while still plugged.
    public var chargeFinished: Bool
    public var chargeFailed: Bool
    public var chargingPowerLevel: String   // Level1…Level5
    public var chargingType: String         // Full | Partial
    /// A charge delayed to this instant (`charging.schedule.nextDelayedTime`).
    public var delayedChargeAt: Date?
    public var ignition: String             // Stop | StartUp | Start
    public var doorsLocked: Bool
    public var doorOpen: Bool
    public var preconditioningOn: Bool
    public var preconditioningEnds: Date?
    public var preconditioningFinished: Bool
    public var lightsOnUntil: Date?
    public var outsideTemperature: Double
    public var alarmActive: Bool
    public var privacy: String              // None | Geolocation | Full
    /// The car stays awake until this instant (3 minutes after each message, and while
    /// driving or charging).
    public var awakeUntil: Date
    /// Wake-ups of a sleeping car in the calendar month `wakeUpMonth` (yyyy-mm, UTC).
    public var wakeUps: Int
    public var wakeUpMonth: String
    /// Last vehicle event (ignition, plug, doors, charge), for `createdAt` fields.
    public var updatedAt: Date

    public var isDriving: Bool { if case .driving = activity { return true } else { return false } }
    public var moving: Bool { isDriving }

    /// The charging status of the API's `ChargingStatusEnum`.
    public var chargingStatus: String {
        if !plugged { return "Disconnected" }
        if chargeFailed { return "Failure" }
        if charging { return "InProgress" }
        return chargeFinished ? "Finished" : "Stopped"
    }

    public func isAwake(at now: Date) -> Bool { isDriving || now < awakeUntil }
}
