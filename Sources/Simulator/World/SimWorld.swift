import Foundation

/// The simulated world: vehicles living their days around Paris. Time only moves when
/// `advance(to:)` is called; physics runs on a fixed grid of `quantum` seconds, so the
/// same seed and start give the same world however the caller slices time.
package struct SimWorld: Sendable {
    package private(set) var vehicles: [SimVehicle]
    package private(set) var now: Date
    /// Where simulated time started.
    package let start: Date
    package let seed: UInt64
    /// Physics step, seconds of simulated time.
    package var quantum: TimeInterval
    /// How often an awake car refreshes the data the API serves, seconds.
    package var reportInterval: TimeInterval = 60
    /// Shared places: the fleet depot first, then shops.
    package let sharedPlaces: [SimPlace]
    private let planner = TripPlanner()
    private var weather: Weather
    private var index: [String: Int] = [:]

    /// Users owning vehicles (B2C). Every vehicle belongs to `firstUser` except, when there
    /// are two or more, the last one, which belongs to `secondUser` (so a 403 can be seen).
    package static let firstUser = "user-1"
    package static let secondUser = "user-2"

    package init(vehicles count: Int, seed: UInt64, start: Date, quantum: TimeInterval = 10) {
        self.seed = seed
        self.now = start
        self.start = start
        self.quantum = quantum
        var rng = SimRandom(seed: seed, stream: 0)
        let city = GeoCoordinate(latitude: 48.8566, longitude: 2.3522)
        var shared = [SimPlace(name: "depot", kind: .depot, point: GeoCoordinate(latitude: 48.9226, longitude: 2.3536), hasCharger: true)]
        for i in 1...3 {
            shared.append(SimPlace(name: "shop-\(i)", kind: .shop, point: .scattered(around: city, maxKm: 15, using: &rng),
                                hasCharger: i == 1))
        }
        sharedPlaces = shared
        weather = Weather(baseOffset: rng.uniform(-3...3))
        vehicles = (0..<max(0, count)).map { i in
            let owner = (count >= 2 && i == count - 1) ? SimWorld.secondUser : SimWorld.firstUser
            return SimVehicle.make(index: i, seed: seed, start: start, owner: owner, shared: shared)
        }
        for (i, v) in vehicles.enumerated() {
            index[v.profile.vin] = i
            index[v.profile.id] = i
        }
    }

    /// The next instant physics runs (the grid of `quantum` seconds).
    package var nextGridTime: Date {
        Date(timeIntervalSince1970: (floor(now.timeIntervalSince1970 / quantum) + 1) * quantum)
    }

    /// The vehicle with this VIN or API id.
    package func vehicle(_ vinOrId: String) -> SimVehicle? {
        index[vinOrId].map { vehicles[$0] }
    }

    package func vehicleIndex(_ vinOrId: String) -> Int? { index[vinOrId] }

    /// Runs physics up to `date`. Returns the indices of vehicles whose served data changed.
    @discardableResult
    package mutating func advance(to date: Date) -> Set<Int> {
        var changed = Set<Int>()
        while now < date {
            let gridNext = Date(timeIntervalSince1970: (floor(now.timeIntervalSince1970 / quantum) + 1) * quantum)
            let next = min(gridNext, date)
            let dt = next.timeIntervalSince(now)
            now = next
            guard next == gridNext else { break }   // only whole grid steps run physics
            let temperature = weather.temperature(at: now)
            for i in vehicles.indices where stepVehicle(i, dt: quantum, temperature: temperature) {
                changed.insert(i)
            }
            _ = dt
        }
        return changed
    }

    private mutating func stepVehicle(_ i: Int, dt: TimeInterval, temperature: Double) -> Bool {
        let event = VehiclePhysics.step(&vehicles[i], dt: dt, now: now, temperature: temperature, planner: planner)
        let v = vehicles[i]
        guard v.state.isAwake(at: now) || event else { return false }
        if event || now.timeIntervalSince(v.reportedAt) >= reportInterval {
            vehicles[i].reported = v.state
            vehicles[i].reportedAt = now
            return true
        }
        return false
    }

    /// Applies a change to a vehicle (a remote's effect) and makes the car report it.
    package mutating func update(_ i: Int, _ change: (inout SimVehicleState) -> Void) {
        change(&vehicles[i].state)
        vehicles[i].state.updatedAt = now
        vehicles[i].state.awakeUntil = max(vehicles[i].state.awakeUntil, now.addingTimeInterval(180))
        vehicles[i].reported = vehicles[i].state
        vehicles[i].reportedAt = now
    }

    /// Changes a vehicle's state as is (tests, control endpoints): no wake-up, reported at once.
    package mutating func modify(_ i: Int, _ change: (inout SimVehicleState) -> Void) {
        change(&vehicles[i].state)
        vehicles[i].reported = vehicles[i].state
        vehicles[i].reportedAt = now
    }
}
