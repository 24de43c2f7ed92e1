import XCTest
import VehicleData

/// Issue 19 part 4: the traction battery's state of health (`battery.health`,
/// `battery.health.resistance`) and the 12 V battery's (`aux_battery.health`, the
/// schema's `Battery.voltage`), with their data times, in both payload shapes.
final class BatteryHealthTests: XCTestCase {
    private func decode(_ text: String) -> (values: [String: FieldValue], times: [String: String], warnings: [DecodeWarning]) {
        let (o, w) = StatusDecoder.decode(TestPayloads.json(text))
        return (TestPayloads.byAlias(o), DataTimeTests.byAlias(o), w)
    }

    func testSchemaShapeReadsHealthUnderTheExtensionDatedByHealth() {
        let (v, t, w) = decode(TestPayloads.schemaShaped)
        XCTAssertEqual(w, [])
        XCTAssertEqual(v["battery.health"], .number(97))
        XCTAssertEqual(v["battery.health.resistance"], .number(95))
        XCTAssertEqual(v["aux_battery.health"], .number(87.5))
        XCTAssertEqual(t["battery.health"], "2026-11-20T12:00:00Z", "health's own createdAt, not the entry's")
        XCTAssertEqual(t["battery.health.resistance"], "2026-11-20T12:00:00Z")
        XCTAssertEqual(t["aux_battery.health"], "2026-11-26T22:00:00Z", "the battery object's createdAt")
    }

    func testRealShapeReadsHealthDirectlyInTheEntry() {
        let (v, t, w) = decode(TestPayloads.realWorld)
        XCTAssertEqual(w, [])
        XCTAssertEqual(v["battery.health"], .number(98))
        XCTAssertNil(v["battery.health.resistance"], "absent stays absent")
        XCTAssertNil(v["aux_battery.health"])
        XCTAssertEqual(t["battery.health"], "2026-11-27T08:00:05.123Z", "no time on the way: the payload's")
    }

    func testDirectBeforeExtensionKeyByKeyAndInnermostTime() {
        let (v, t, _) = decode("""
        {"updatedAt": "2026-11-27T10:00:00Z",
         "energy": [{"type": "Fuel", "level": 3},
                    {"type": "Electric", "level": 50, "updatedAt": "2026-11-27T09:00:00Z",
                     "battery": {"updatedAt": "2026-11-27T08:00:00Z", "health": {"capacity": 91, "resistance": null}},
                     "extension": {"electric": {"battery": {"health": {"capacity": 10, "resistance": 88}}}}}],
         "battery": {"voltage": 12, "createdAt": null}}
        """)
        XCTAssertEqual(v["battery.health"], .number(91), "the entry's battery first")
        XCTAssertEqual(v["battery.health.resistance"], .number(88), "a null falls back to the extension")
        XCTAssertEqual(t["battery.health"], "2026-11-27T08:00:00Z", "battery, the innermost object with a time")
        XCTAssertEqual(v["aux_battery.health"], .number(12), "kept as sent")
        XCTAssertEqual(t["aux_battery.health"], "2026-11-27T10:00:00Z", "null createdAt: the payload's")
    }

    func testOnlyTheFirstElectricEntryAndWrongTypesWarn() {
        let (v, _, w) = decode("""
        {"energies": [{"type": "Fuel", "extension": {"electric": {"battery": {"health": {"capacity": 5}}}}},
                      {"type": "Electric", "battery": {"health": {"capacity": "97%"}}}],
         "battery": {"voltage": "12.4 V"}}
        """)
        XCTAssertNil(v["battery.health"], "a fuel entry's health and a string are not read")
        XCTAssertNil(v["aux_battery.health"])
        XCTAssertEqual(Set(w.map(\.field)), ["battery.health", "aux_battery.health"])
        XCTAssertTrue(w.contains { $0.message.contains("energies[1].battery.health.capacity") }, "\(w)")
        XCTAssertTrue(w.contains { $0.message.contains("battery.voltage") }, "\(w)")
    }

    func testCatalogTypes() throws {
        for alias in ["battery.health", "battery.health.resistance", "aux_battery.health"] {
            let f = try XCTUnwrap(Catalog.field(named: alias), alias)
            XCTAssertEqual(f.type, .number(.percent), alias)
            XCTAssertNil(f.monitor, "no DataTrigger path watches \(alias)")
        }
        XCTAssertTrue(Catalog.field(named: "battery.health")!.isIntegral, "the schema says integer")
        XCTAssertFalse(Catalog.field(named: "aux_battery.health")!.isIntegral, "the schema says float")
    }
}
