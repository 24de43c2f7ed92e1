import XCTest
import VehicleData

/// SEMANTICS.md "Data time and age": each value's data time is the `updatedAt`, else
/// `createdAt`, of the innermost object on its path that has one, else the payload's own,
/// else none (the observation instant); a monitor event's `values` have none.
final class DataTimeTests: XCTestCase {
    private func times(_ text: String) -> [String: String] {
        let o = StatusDecoder.decode(TestPayloads.json(text)).observation
        return Self.byAlias(o)
    }

    static func byAlias(_ o: Observation) -> [String: String] {
        Dictionary(uniqueKeysWithValues: o.dataTimes.map { (Catalog[$0.key].alias, RFC3339Time.formatUTC($0.value)) })
    }

    func testSchemaShapedStatusDatesEachValueByItsObject() {
        let t = times(TestPayloads.schemaShaped)
        let objects = "2026-11-27T08:00:00Z"
        for alias in ["battery.level", "battery.autonomy", "fuel.level", "fuel.autonomy", "autonomy", "charging.status",
                      "speed", "moving", "odometer", "outside.temperature", "ignition", "preconditioning.status",
                      "privacy", "alarm.active", "alarm.trigger", "doors.locked", "position", "powertrain.status",
                      "driving.mode"] {
            XCTAssertEqual(t[alias], objects, alias)
        }
        // No object of its own with a time on the list: the payload's `updatedAt`.
        XCTAssertEqual(t["oil.temperature"], "2026-11-27T08:00:05Z")
    }

    /// Null timestamps, missing sections and `preconditionning`: the payload's own
    /// `updatedAt` (its `createdAt` is null).
    func testRealWorldNullTimestampsFallBackToThePayload() {
        let t = times(TestPayloads.realWorld)
        let o = StatusDecoder.decode(TestPayloads.json(TestPayloads.realWorld)).observation
        XCTAssertEqual(Set(t.keys), Set(o.values.keys.map { Catalog[$0].alias }), "every value has a data time")
        XCTAssertEqual(Set(t.values), ["2026-11-27T08:00:05.123Z"])
    }

    func testInnermostObjectWinsAndUpdatedAtBeforeCreatedAt() {
        let t = times("""
        {"updatedAt": "2026-11-27T10:00:00Z",
         "energy": [{"type": "Electric", "level": 50, "autonomy": 200, "updatedAt": "2026-11-27T06:00:00Z",
                     "charging": {"status": "InProgress", "createdAt": "2026-11-27T07:00:00Z"}},
                    {"type": "Fuel", "level": 20, "autonomy": 100, "createdAt": "2026-11-27T05:00:00Z",
                     "updatedAt": "2026-11-27T05:30:00Z"}],
         "environment": {"updatedAt": "2026-11-27T04:00:00Z", "air": {"temp": 3}},
         "alarm": {"createdAt": "2026-11-27T03:00:00Z", "status": {"activation": "Active"}},
         "preconditionning": {"updatedAt": "2026-11-27T02:00:00Z", "airConditioning": {"status": "Enabled"}},
         "kinetic": {"speed": 10, "updatedAt": "not a time"},
         "lastPosition": {"geometry": {"coordinates": [2.3, 48.8]}, "properties": {"createdAt": "2026-11-27T01:00:00+01:00"}}}
        """)
        XCTAssertEqual(t["battery.level"], "2026-11-27T06:00:00Z")
        XCTAssertEqual(t["charging.status"], "2026-11-27T07:00:00Z")
        XCTAssertEqual(t["fuel.level"], "2026-11-27T05:30:00Z")
        XCTAssertEqual(t["autonomy"], "2026-11-27T05:30:00Z", "the oldest entry of the sum")
        XCTAssertEqual(t["outside.temperature"], "2026-11-27T04:00:00Z")
        XCTAssertEqual(t["alarm.active"], "2026-11-27T03:00:00Z")
        XCTAssertEqual(t["preconditioning.status"], "2026-11-27T02:00:00Z")
        XCTAssertEqual(t["speed"], "2026-11-27T10:00:00Z", "an unreadable time counts as absent")
        XCTAssertEqual(t["position"], "2026-11-27T00:00:00Z")
    }

    func testNoTimestampAnywhereLeavesTheObservationInstant() {
        let o = StatusDecoder.decode(TestPayloads.json(#"{"kinetic": {"speed": 10}, "energy": {"type": "Electric", "level": 5}}"#))
            .observation
        XCTAssertEqual(o.values.count, 2)
        XCTAssertEqual(o.dataTimes, [:])
    }

    /// Timestamps in the future are kept here; the engine moves them back to the
    /// observation instant, which only it knows.
    func testFutureTimestampsAreKeptForTheEngineToClamp() {
        let t = times(#"{"kinetic": {"speed": 10, "updatedAt": "2099-01-01T00:00:00Z"}}"#)
        XCTAssertEqual(t["speed"], "2099-01-01T00:00:00Z")
    }

    /// A monitor event: extension values carry their payload's data times, `values` the
    /// observation instant, also over a field an extension set.
    func testMonitorEventExtensionsThenValues() {
        let event = TestPayloads.json("""
        {"extensions": [
           {"type": "vehicle.status", "body": {"status": {"updatedAt": "2026-11-27T08:00:00Z",
              "kinetic": {"speed": 30, "createdAt": "2026-11-27T07:59:00Z"}, "odometer": {"mileage": 100}}}},
           {"type": "vehicle.position", "body": [{"position": {"geometry": {"coordinates": [2.3, 48.8]},
              "properties": {"updatedAt": "2026-11-27T07:58:00Z"}}}]}],
         "values": [{"data": "vehicle.odometer", "value": {"type": "number", "body": {"literalValue": "101"}}}]}
        """)
        let reading = MonitorEventReader.read(event)
        XCTAssertEqual(Self.byAlias(reading.observation), ["speed": "2026-11-27T07:59:00Z",
                                                           "position": "2026-11-27T07:58:00Z"])
        XCTAssertEqual(reading.observation[Catalog.field(named: "odometer")!.id], .number(101))
    }
}
