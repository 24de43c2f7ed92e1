import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// The engine keeps each field value's data time (SEMANTICS.md "Data time and age"):
/// the observation's `dataTimes`, else the instant; never after the observation instant;
/// an observation updates every field it carries, whatever its data time; snapshots keep it.
final class DataTimeEngineTests: XCTestCase {
    let level = T.f("battery.level"), speed = T.f("speed"), odometer = T.f("odometer")

    func testDataTimesAreKeptClampedAndSnapshotted() throws {
        let engine = RuleEngine(bundles: [T.bundle([T.rule("low", T.lt("battery.level", 20))])])
        let t = T.at("2026-03-02T08:00:00Z")
        // battery.level is read by a rule (hot block), odometer is not (cold slot).
        engine.observe(vin: "V1", at: t, Observation(
            values: [level: .number(50), speed: .number(10), odometer: .number(100)],
            dataTimes: [level: T.at("2026-03-02T06:00:00Z"), odometer: T.at("2026-03-02T09:00:00Z")]))
        XCTAssertEqual(engine.dataTime(vin: "V1", field: level), T.at("2026-03-02T06:00:00Z"))
        XCTAssertEqual(engine.dataTime(vin: "V1", field: speed), t, "no data time: the instant")
        XCTAssertEqual(engine.dataTime(vin: "V1", field: odometer), t, "in the future: the instant")
        XCTAssertNil(engine.dataTime(vin: "V1", field: T.f("fuel.level")))
        XCTAssertNil(engine.dataTime(vin: "V2", field: level))
        // An older data time than the previous one still updates the value.
        engine.observe(vin: "V1", at: t + 60_000, Observation(values: [level: .number(10)],
                                                               dataTimes: [level: T.at("2026-03-02T05:00:00Z")]))
        XCTAssertEqual(engine.dataTime(vin: "V1", field: level), T.at("2026-03-02T05:00:00Z"))
        XCTAssertEqual(engine.takeDecisions().map(\.rule), ["low"])
        // Snapshots carry the data times.
        let data = try JSONEncoder().encode(engine.snapshot())
        let restored = RuleEngine(bundles: [T.bundle([T.rule("low", T.lt("battery.level", 20))])])
        XCTAssertEqual(restored.restore(try JSONDecoder().decode(EngineSnapshot.self, from: data)), [])
        for f in [level, speed, odometer] {
            XCTAssertEqual(restored.dataTime(vin: "V1", field: f), engine.dataTime(vin: "V1", field: f))
        }
    }

    func testBatchAndHandleAPIsCarryDataTimes() {
        let engine = RuleEngine(bundles: [T.bundle([T.rule("low", T.lt("battery.level", 20))])])
        let h = engine.handle(vin: "V1")
        let t = T.at("2026-03-02T08:00:00Z")
        engine.observe(batch: [DatedBatchObservation(vehicle: h, at: t, values: [(level, FieldValue.number(30))],
                                                dataTimes: [level: t - 3_600_000])])
        XCTAssertEqual(engine.dataTime(vin: "V1", field: level), t - 3_600_000)
        engine.observe(h, at: t + 1, values: [(speed, FieldValue.number(3))], dataTimes: [speed: t - 1])
        XCTAssertEqual(engine.dataTime(vin: "V1", field: speed), t - 1)
        engine.observe(h, at: t + 2, values: [(speed, FieldValue.number(4))])
        XCTAssertEqual(engine.dataTime(vin: "V1", field: speed), t + 2)
    }
}
