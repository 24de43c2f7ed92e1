import Foundation
import Simulator
import Synchronization
import VehicleData
import VigieKit

/// `vigie bench sim`: how fast the simulator runs a fleet with monitors, in simulated
/// time per real second (world physics, monitor evaluation and notification queuing; the
/// notifications are counted, not sent).
package enum SimBenchmark {
    package struct Figures: Sendable {
        package var vehicles: Int
        package var simulatedSeconds: Double
        package var wallSeconds: Double
        package var notifications: Int
        package var monitors: Int
        /// Simulated seconds per real second.
        package var speedUp: Double { simulatedSeconds / wallSeconds }
        /// Vehicle × simulated seconds per real second.
        package var vehicleSecondsPerSecond: Double { Double(vehicles) * speedUp }
    }

    /// Counts notifications and answers 200.
    final class CountingTransport: NotificationTransport, Sendable {
        private let count = Mutex(0)
        func post(_ delivery: SimOutbox.Delivery) async -> Int? {
            count.withLock { $0 += delivery.json.arrayValue?.count ?? 1 }
            return 200
        }
        var total: Int { count.withLock { $0 } }
    }

    package static func run(vehicles: Int, days: Double, tick: TimeInterval = 60) async throws -> Figures {
        var config = SimConfiguration()
        config.vehicles = vehicles
        config.seed = 42
        let start = Date(timeIntervalSince1970: 1_795_392_000)   // 2026-11-23 (a Monday), 00:00 UTC
        let core = SimCore(config: config, start: start)
        let clock = ManualClock(start)
        let transport = CountingTransport()
        let driver = SimDriver(core: core, clock: clock, transport: transport)
        let monitors = try await installMonitors(core, config: config)
        let began = Date()
        let steps = Int(days * 86400 / tick)
        for _ in 0..<steps {
            clock.advance(by: tick)
            await driver.tick()
        }
        let wall = Date().timeIntervalSince(began)
        return Figures(vehicles: vehicles, simulatedSeconds: Double(steps) * tick, wallSeconds: wall,
                       notifications: transport.total, monitors: monitors)
    }

    /// Two monitors per vehicle of the first user: low battery (refreshed) and leaving home.
    private static func installMonitors(_ core: SimCore, config: SimConfiguration) async throws -> Int {
        let user = SimPrincipal.user(SimWorld.firstUser, clientId: config.clientId)
        let cb = try await core.createCallback(user, body: .object(["callback": .object(["webhook": .object([
            "name": .string("bench"), "target": .string("http://127.0.0.1:9/bench")])])]))
        let cbid = cb["callbackId"]?.stringValue ?? ""
        var count = 0
        for v in await core.world.vehicles where v.owner == SimWorld.firstUser {
            let home = v.places[0].point
            let bodies: [String] = [
                #"{"label":"low","subscribeParam":{"refreshEvent":600},"triggerParam":{"triggers":[{"name":"low","data":{"data":"vehicle.autonomy","op":"lowerThan","value":["150"]}}],"boolExp":"low"}}"#,
                #"{"label":"away","triggerParam":{"triggers":[{"name":"away","zone":{"transition":"Out","place":{"radius":2,"center":{"latitude":\#(home.latitude),"longitude":\#(home.longitude)}}}},{"name":"moving","data":{"data":"vehicle.kinetic.moving","op":"equalsTo","value":["true"]}}],"boolExp":"(away & moving)"}}"#,
            ]
            for body in bodies {
                let json = try JSONDecoder().decode(JSONValue.self, from: Data(body.utf8))
                _ = try await core.createMonitor(user, vehicle: v.profile.id, callback: cbid, body: json)
                count += 1
            }
        }
        return count
    }

    package static func report(_ f: Figures) -> String {
        String(format: """
            vehicles: %d, monitors: %d, simulated: %.0f s in %.2f s wall
            speed-up: %.0f× real time; %.0f vehicle·s simulated per s; notifications: %d
            """, f.vehicles, f.monitors, f.simulatedSeconds, f.wallSeconds, f.speedUp, f.vehicleSecondsPerSecond, f.notifications)
    }
}
