import Foundation
import RuleEngine
import VehicleData
@testable import VigieRuntime
import XCTest

final class EngineCheckpointCodecTests: XCTestCase {
    private func vehicle(_ vin: String, level: Double) -> VehicleSnapshot {
        VehicleSnapshot(vin: vin, fields: [FieldSnapshot(field: "battery.level", value: .number(level), at: 1_000)],
                        rules: [])
    }

    /// Vehicles come back in first-seen order from their own rows; the checkpoint holds
    /// no VIN list, so its size does not grow with the fleet.
    func testEachRowKeepsItsPlaceAndTheCheckpointStaysSmall() throws {
        let codec = EngineCheckpointCodec()
        let seen = ["VIN-C", "VIN-A", "VIN-B"]
        var rows: [String: Data] = [:]
        for (order, vin) in seen.enumerated() { rows[vin] = try codec.vehicle(vehicle(vin, level: 50), order: order) }
        let checkpoint = try codec.checkpoint(version: 1, now: 42)
        XCTAssertFalse(String(decoding: checkpoint, as: UTF8.self).contains("VIN-"))
        let (snapshot, order) = try codec.decode(checkpoint: checkpoint, rows: rows)
        XCTAssertEqual(snapshot.vehicles.map(\.vin), seen)
        XCTAssertEqual(snapshot.now, 42)
        XCTAssertEqual(order, ["VIN-C": 0, "VIN-A": 1, "VIN-B": 2])
        // A row is still a VehicleSnapshot to the readers that decode one (console, explain).
        XCTAssertEqual(try JSONDecoder().decode(VehicleSnapshot.self, from: rows["VIN-A"]!), vehicle("VIN-A", level: 50))
    }

    /// A file written before rows carried their place: the checkpoint's list gives the
    /// order, and a row it does not list was not part of the state.
    func testAnOlderCheckpointsListIsStillRead() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var rows: [String: Data] = [:]
        for vin in ["VIN-B", "VIN-A", "VIN-Z"] { rows[vin] = try encoder.encode(vehicle(vin, level: 30)) }
        let checkpoint = Data(#"{"now":7,"vehicles":["VIN-B","VIN-A"],"version":1}"#.utf8)
        let (snapshot, order) = try EngineCheckpointCodec().decode(checkpoint: checkpoint, rows: rows)
        XCTAssertEqual(snapshot.vehicles.map(\.vin), ["VIN-B", "VIN-A"])
        XCTAssertEqual(order, ["VIN-B": 0, "VIN-A": 1])
        XCTAssertEqual(snapshot.now, 7)
    }
}
