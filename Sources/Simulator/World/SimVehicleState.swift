import Foundation

/// The live state of one simulated vehicle: what the car would report.
package struct SimVehicleState: Sendable, Hashable {
    package enum Activity: Sendable, Hashable {
        /// Parked at a place until the next departure, then going to place `next`.
        case parked(at: Int, until: Date, next: Int)
        /// Driving from one place to another.
        case driving(from: Int, to: Int, distanceKm: Double, doneKm: Double, speedKmh: Double)
    }

    package var activity: Activity
    package var position: GeoCoordinate
    package var heading: Int
    package var speedKmh: Double
    package var odometerKm: Double
    /// Traction battery state of charge, % (0 for thermic vehicles).
    package var batteryLevel: Double
    package var fuelLevel: Double
    package var plugged: Bool
    package var charging: Bool
    /// `Finished` once a charge reached its target while still plugged.
    package var chargeFinished: Bool
    package var chargeFailed: Bool
    package var chargingPowerLevel: String   // Level1…Level5
    package var chargingType: String         // Full | Partial
    /// A charge delayed to this instant (`charging.schedule.nextDelayedTime`).
    package var delayedChargeAt: Date?
    package var ignition: String             // Stop | StartUp | Start
    package var doorsLocked: Bool
    package var doorOpen: Bool
    package var preconditioningOn: Bool
    package var preconditioningEnds: Date?
    package var preconditioningFinished: Bool
    package var lightsOnUntil: Date?
    package var outsideTemperature: Double
    package var alarmActive: Bool
    package var privacy: String              // None | Geolocation | Full
    /// The car stays awake until this instant (3 minutes after each message, and while
    /// driving or charging).
    package var awakeUntil: Date
    /// Wake-ups of a sleeping car in the calendar month `wakeUpMonth` (yyyy-mm, UTC).
    package var wakeUps: Int
    package var wakeUpMonth: String
    /// Last vehicle event (ignition, plug, doors, charge), for `createdAt` fields.
    package var updatedAt: Date

    package var isDriving: Bool { if case .driving = activity { return true } else { return false } }
    package var moving: Bool { isDriving }

    /// The charging status of the API's `ChargingStatusEnum`.
    package var chargingStatus: String {
        if !plugged { return "Disconnected" }
        if chargeFailed { return "Failure" }
        if charging { return "InProgress" }
        return chargeFinished ? "Finished" : "Stopped"
    }

    package func isAwake(at now: Date) -> Bool { isDriving || now < awakeUntil }
}
