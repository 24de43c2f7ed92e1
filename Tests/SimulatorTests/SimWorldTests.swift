import Foundation
import XCTest
@testable import Simulator

/// The simulated world, stepped directly (no HTTP): seeded determinism and plausible
/// physics over a simulated week of 100 vehicles.
final class SimWorldTests: XCTestCase {
    static let monday = SimTimestamp.parse("2026-11-23T00:00:00Z")!

    func testSameSeedGivesTheSameWorld() {
        var a = SimWorld(vehicles: 20, seed: 7, start: Self.monday)
        var b = SimWorld(vehicles: 20, seed: 7, start: Self.monday)
        // Slice time differently: physics runs on a fixed grid, so the result is the same.
        a.advance(to: Self.monday.addingTimeInterval(86400))
        for h in 1...96 { b.advance(to: Self.monday.addingTimeInterval(Double(h) * 900 + 0.5)) }
        b.advance(to: Self.monday.addingTimeInterval(86400))
        XCTAssertEqual(a.vehicles.map(\.vin), b.vehicles.map(\.vin))
        XCTAssertEqual(a.vehicles.map(\.state), b.vehicles.map(\.state))
        let c = SimWorld(vehicles: 20, seed: 8, start: Self.monday)
        XCTAssertNotEqual(a.vehicles.map(\.vin), c.vehicles.map(\.vin))
    }

    func testVINsAndBrandsAreWellFormed() {
        let w = SimWorld(vehicles: 50, seed: 3, start: Self.monday)
        let wmi = ["Peugeot": "VF3", "Citroen": "VF7", "DS": "VR1", "Opel": "W0L", "Vauxhall": "W0V"]
        XCTAssertEqual(Set(w.vehicles.map(\.vin)).count, 50)
        for v in w.vehicles {
            XCTAssertEqual(v.vin.count, 17, v.vin)
            XCTAssertFalse(v.vin.contains { "IOQ".contains($0) }, v.vin)
            XCTAssertEqual(String(v.vin.prefix(3)), wmi[v.profile.brand], v.vin)
            XCTAssertNotNil(w.vehicle(v.profile.id))
        }
        XCTAssertEqual(w.vehicles.last?.owner, SimWorld.secondUser)
        XCTAssertEqual(w.vehicles.first?.owner, SimWorld.firstUser)
    }

    /// A simulated week, 100 vehicles: levels stay in 0–100 %, no charging while unplugged,
    /// positions valid and near Paris, odometers never go back, cars drive and charge.
    func testAWeekOfOneHundredVehiclesStaysPlausible() {
        var world = SimWorld(vehicles: 100, seed: 42, start: Self.monday, quantum: 30)
        var lastOdometer = world.vehicles.map(\.state.odometerKm)
        var drove = Set<Int>(), charged = Set<Int>(), batteryRose = Set<Int>()
        var lastBattery = world.vehicles.map(\.state.batteryLevel)
        var wasPlugged = world.vehicles.map(\.state.plugged)
        var temperatures: [Double] = []
        let paris = GeoCoordinate(latitude: 48.8566, longitude: 2.3522)
        for step in 1...(7 * 24 * 4) {   // every 15 minutes
            world.advance(to: Self.monday.addingTimeInterval(Double(step) * 900))
            temperatures.append(world.vehicles[0].state.outsideTemperature)
            for (i, v) in world.vehicles.enumerated() {
                let s = v.state
                XCTAssert((0...100).contains(s.batteryLevel), "\(v.vin) battery \(s.batteryLevel)")
                XCTAssert((0...100).contains(s.fuelLevel), "\(v.vin) fuel \(s.fuelLevel)")
                XCTAssert(!s.charging || s.plugged, "\(v.vin) charging while unplugged")
                XCTAssert(!s.plugged || !s.isDriving, "\(v.vin) driving while plugged")
                XCTAssert(!s.isDriving || s.ignition == "Start", "\(v.vin) driving with ignition \(s.ignition)")
                XCTAssert(s.isDriving || s.speedKmh == 0, "\(v.vin) parked at \(s.speedKmh) km/h")
                XCTAssert(s.position.distanceKm(to: paris) < 100, "\(v.vin) at \(s.position)")
                XCTAssertGreaterThanOrEqual(s.odometerKm, lastOdometer[i], v.vin)
                if !v.profile.hasBattery { XCTAssertFalse(s.plugged, "\(v.vin) thermic car plugged in") }
                if s.isDriving { drove.insert(i) }
                if s.charging { charged.insert(i) }
                if s.batteryLevel > lastBattery[i] + 0.01 {
                    batteryRose.insert(i)
                    XCTAssertTrue(s.plugged || wasPlugged[i], "\(v.vin) battery rose while unplugged")
                }
                lastOdometer[i] = s.odometerKm
                lastBattery[i] = s.batteryLevel
                wasPlugged[i] = s.plugged
            }
        }
        XCTAssertGreaterThan(drove.count, 90, "most vehicles drive during a week")
        XCTAssertGreaterThan(charged.count, 20, "electrified vehicles charge")
        XCTAssertFalse(batteryRose.isEmpty)
        XCTAssertGreaterThan(temperatures.max()! - temperatures.min()!, 6, "the temperature follows the day")
        let km = zip(world.vehicles.map(\.state.odometerKm), SimWorld(vehicles: 100, seed: 42, start: Self.monday).vehicles
            .map(\.state.odometerKm)).map { $0 - $1 }
        XCTAssertLessThan(km.max()!, 3000, "no vehicle drives more than 3000 km in a week")
        XCTAssertGreaterThan(km.reduce(0, +) / 100, 50, "an average vehicle drives more than 50 km in a week")
    }

    func testReportedDataLagsWhileTheCarSleeps() {
        var world = SimWorld(vehicles: 5, seed: 9, start: Self.monday)
        world.advance(to: Self.monday.addingTimeInterval(3 * 3600))   // 03:00 UTC: everyone parked and asleep
        for v in world.vehicles where !v.state.isAwake(at: world.now) {
            XCTAssertLessThanOrEqual(v.reportedAt, world.now)
            XCTAssertEqual(v.reported.position, v.state.position)
        }
    }
}
