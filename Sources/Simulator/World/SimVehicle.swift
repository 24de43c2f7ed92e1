import Foundation

/// One vehicle of the world: identity, its places, its live state, and the snapshot the
/// API serves (`reported`, refreshed about every minute while the car is awake and at
/// once on vehicle events: ignition, plug, doors, charge).
package struct SimVehicle: Sendable {
    package var profile: SimVehicleProfile
    package var places: [SimPlace]
    package var state: SimVehicleState
    package var reported: SimVehicleState
    package var reportedAt: Date
    /// The user owning the vehicle (B2C) — every vehicle is also in the fleet (B2B).
    package var owner: String
    var rng: SimRandom
    var temperatureOffset: Double

    package var vin: String { profile.vin }
}

extension SimVehicle {
    static func make(index: Int, seed: UInt64, start: Date, owner: String, shared: [SimPlace]) -> SimVehicle {
        var rng = SimRandom(seed: seed, stream: UInt64(index) + 1)
        let profile = SimVehicleProfile.generate(index: index, using: &rng)
        let city = GeoCoordinate(latitude: 48.8566, longitude: 2.3522)
        var places: [SimPlace]
        if profile.isFleetVan {
            places = [shared[0]] + (1...3).map { i in
                SimPlace(name: "client-\(index)-\(i)", kind: .client,
                      point: .scattered(around: city, maxKm: 25, using: &rng), hasCharger: false)
            }
        } else {
            places = [
                SimPlace(name: "home-\(index)", kind: .home, point: .scattered(around: city, maxKm: 30, using: &rng),
                      hasCharger: true),
                SimPlace(name: "work-\(index)", kind: .work, point: .scattered(around: city, maxKm: 12, using: &rng),
                      hasCharger: rng.chance(0.3)),
                shared[1 + Int(rng.next() % UInt64(shared.count - 1))],
                SimPlace(name: "leisure-\(index)", kind: .leisure, point: .scattered(around: city, maxKm: 60, using: &rng),
                      hasCharger: false),
            ]
        }
        let planner = TripPlanner()
        let level = profile.hasBattery ? rng.uniform(35...95).rounded() : 0
        let state = SimVehicleState(
            activity: .parked(at: 0, until: start, next: 1), position: places[0].point, heading: Int(rng.next() % 360),
            speedKmh: 0, odometerKm: rng.uniform(800...60000).rounded(), batteryLevel: level,
            fuelLevel: profile.hasTank ? rng.uniform(25...95).rounded() : 0,
            plugged: false, charging: false, chargeFinished: false, chargeFailed: false,
            chargingPowerLevel: profile.isFleetVan ? "Level4" : "Level3", chargingType: "Full",
            delayedChargeAt: nil, ignition: "Stop", doorsLocked: true, doorOpen: false,
            preconditioningOn: false, preconditioningEnds: nil, preconditioningFinished: false, lightsOnUntil: nil,
            outsideTemperature: 12, alarmActive: true, privacy: "None",
            awakeUntil: start, wakeUps: 0, wakeUpMonth: "", updatedAt: start)
        var vehicle = SimVehicle(profile: profile, places: places, state: state, reported: state, reportedAt: start,
                                 owner: owner, rng: rng, temperatureOffset: 0)
        vehicle.temperatureOffset = vehicle.rng.uniform(-1...1)
        VehiclePhysics.arrive(&vehicle, at: 0, now: start, planner: planner, initial: true)
        vehicle.reported = vehicle.state
        return vehicle
    }
}
