import Foundation
import VehicleData
import VigieTestSupport
import XCTest

/// `MonitorEventReader`: the one function `vigie serve` and replay `message` lines read a
/// monitor event with (SEMANTICS.md: extensions first, then values).
final class MonitorEventReaderTests: XCTestCase {
    private func field(_ alias: String) -> FieldID { Catalog.field(named: alias)!.id }

    private func event(_ json: String) throws -> JSONValue { try JSONValue.parsing(json: json) }

    func testExtensionsAreReadFirstThenValuesOnTop() throws {
        let reading = MonitorEventReader.read(try event("""
            {"values": [{"data": "vehicle.energy.electric.level", "value": {"type": "string", "body": {"literalValue": "15"}}}],
             "extensions": [
               {"type": "vehicle.status", "body": {"status": {"energies": [{"type": "Electric", "level": 64,
                  "extension": {"electric": {"charging": {"plugged": true, "status": "InProgress"}}}}]}}},
               {"type": "vehicle.position", "body": {"position": {"type": "Feature", "properties": {},
                  "geometry": {"type": "Point", "coordinates": [2.35, 48.85, 30]}}}}]}
            """))
        XCTAssertEqual(reading.observation[field("battery.level")], .number(15), "values come after extensions")
        XCTAssertEqual(reading.observation[field("charging.plugged")], .bool(true))
        XCTAssertEqual(reading.observation[field("charging.status")], .member("InProgress"))
        XCTAssertEqual(reading.observation[field("position")], .point(latitude: 48.85, longitude: 2.35))
        XCTAssertEqual(reading.sources[field("battery.level")], .values)
        XCTAssertEqual(reading.sources[field("charging.plugged")], .status(extension: 0, item: 0))
        XCTAssertEqual(reading.sources[field("position")], .position(extension: 1, item: 0))
        XCTAssertEqual(Set(reading.sources.keys), Set(reading.observation.values.keys))
        XCTAssertEqual(reading.warnings, [])
    }

    func testB2CListBodiesAreReadItemByItemAndOtherTypesUpdateNothing() throws {
        let reading = MonitorEventReader.read(try event("""
            {"values": [],
             "extensions": [
               {"type": "vehicle.status", "body": [{"status": {"kinetic": {"moving": true, "speed": 50}}},
                                                   {"status": {"kinetic": {"moving": false}}}]},
               {"type": "vehicle.doorsState", "body": [{"status": {"kinetic": {"speed": 99}}}]},
               {"type": "vehicle.alerts", "body": {"alerts": [{"type": "x"}]}}]}
            """))
        XCTAssertEqual(reading.observation[field("moving")], .bool(false), "the later item wins")
        XCTAssertEqual(reading.observation[field("speed")], .number(50))
        XCTAssertEqual(reading.sources[field("moving")], .status(extension: 0, item: 1))
        XCTAssertEqual(reading.observation.values.count, 2, "\(reading.observation)")
    }

    func testMalformedPartsWarnAndAreSkipped() throws {
        let reading = MonitorEventReader.read(try event("""
            {"values": [{"data": "vehicle.energy.electric.level", "value": "abc"}],
             "extensions": [5, {"type": "vehicle.status", "body": "x"},
               {"type": "vehicle.status", "body": {"status": [1]}},
               {"type": "vehicle.status", "body": {"status": {"energies": [{"type": "Electric", "level": "high"}]}}}]}
            """))
        XCTAssertTrue(reading.observation.isEmpty, "\(reading.observation)")
        XCTAssertEqual(reading.warnings.map(\.message), [
            "extensions[0]: 5: expected {type, body}; ignored",
            "extensions[1].body: \"x\": expected an object; ignored",
            "extensions[2].body.status: [1]: expected an object; ignored",
            "extensions[3].body.status.energies[0].level: \"high\": expected a number; ignored",
            "values[0].value (vehicle.energy.electric.level): \"abc\": expected a number; ignored",
        ])
        XCTAssertEqual(MonitorEventReader.read(.string("x")).warnings.map(\.message),
                       ["monitorEvent: \"x\": expected an object; ignored"])
        XCTAssertEqual(MonitorEventReader.read(try event(#"{"extensions": {}, "values": 3}"#)).warnings.map(\.message),
                       ["extensions: {}: expected an array; ignored", "values: 3: expected an array; ignored"])
    }
}
