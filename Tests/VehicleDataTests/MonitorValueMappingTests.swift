import XCTest
import VehicleData

final class MonitorValueMappingTests: XCTestCase {
    private func decode(_ text: String) -> (values: [String: FieldValue], warnings: [DecodeWarning]) {
        let items = TestPayloads.json(text).arrayValue ?? []
        let result = MonitorValueMapping.decode(values: items)
        return (TestPayloads.byAlias(result.observation), result.warnings)
    }

    func testTheSemanticsTableWithStringValues() {
        let (v, warnings) = decode("""
        [{"data": "vehicle.energy.electric.level", "value": "18"},
         {"data": "vehicle.energy.electric.autonomy", "value": "62"},
         {"data": "vehicle.energy.fuel.level", "value": "41.5"},
         {"data": "vehicle.energy.fuel.autonomy", "value": "320"},
         {"data": "vehicle.autonomy", "value": "382"},
         {"data": "vehicle.energy.charging.status", "value": "InProgress"},
         {"data": "vehicle.energy.charging.plugged", "value": "true"},
         {"data": "vehicle.kinetic.moving", "value": "false"},
         {"data": "vehicle.kinetic.speed", "value": "87.5"},
         {"data": "vehicle.odometer", "value": "12979"},
         {"data": "environment.air.temp", "value": "-4"},
         {"data": "privacy.state", "value": "Full"}]
        """)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(v, [
            "battery.level": .number(18), "battery.autonomy": .number(62), "fuel.level": .number(41.5),
            "fuel.autonomy": .number(320), "autonomy": .number(382), "charging.status": .member("InProgress"),
            "charging.plugged": .bool(true), "moving": .bool(false), "speed": .number(87.5),
            "odometer": .number(12979), "outside.temperature": .number(-4), "privacy": .member("Full"),
        ])
    }

    func testNumbersBooleansAndTheWebhookSchemasLiteralShape() {
        let (v, warnings) = decode("""
        [{"data": "vehicle.energy.electric.level", "value": 18},
         {"data": "vehicle.energy.charging.plugged", "value": true},
         {"data": "vehicle.kinetic.moving", "value": {"type": "string", "body": {"literalValue": "TRUE"}}},
         {"data": "vehicle.kinetic.speed", "value": ["12,5"]},
         {"data": "environment.air.temp", "value": " 21 "}]
        """)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(v, ["battery.level": .number(18), "charging.plugged": .bool(true), "moving": .bool(true),
                           "speed": .number(12.5), "outside.temperature": .number(21)])
    }

    func testFieldsAppendedToTheCatalogAndAlarmActivation() {
        let (v, _) = decode("""
        [{"data": "vehicle.powertrain.status", "value": "Running"},
         {"data": "vehicle.engines.thermic.oil.temp", "value": "90"},
         {"data": "vehicle.energy.charging.type", "value": "Partial"},
         {"data": "vehicle.alarm.trigger.type", "value": "RoofBreakIn"},
         {"data": "vehicle.drivingBehavior.mode", "value": "Sport"},
         {"data": "vehicle.alarm.status.activation", "value": "Active"}]
        """)
        XCTAssertEqual(v, ["powertrain.status": .member("Running"), "oil.temperature": .number(90),
                           "charging.type": .member("Partial"), "alarm.trigger": .member("RoofBreakIn"),
                           "driving.mode": .member("Sport"), "alarm.active": .bool(true)])
    }

    /// The three paths the compiler watches with `onChange` map back as the status does.
    func testDerivedOnChangePathsMapBackLikeTheStatus() {
        func locked(_ value: String) -> FieldValue? { decode(#"[{"data": "vehicle.doorsState.lockedState", "value": \#(value)}]"#).values["doors.locked"] }
        XCTAssertEqual(locked(#""Locked""#), .bool(true))
        XCTAssertEqual(locked(#""SuperLocked""#), .bool(true))
        XCTAssertEqual(locked(#""Unlocked""#), .bool(false))
        XCTAssertEqual(locked(#"["Locked", "TrunkUnLocked"]"#), .bool(false), "as StatusDecoder: any *Unlocked wins")
        XCTAssertEqual(locked(#"["Locked", "FuelFlapLocked"]"#), .bool(true))
        XCTAssertEqual(locked(#"{"type": "string", "body": {"literalValue": "Locked"}}"#), .bool(true))
        let bad = decode(#"[{"data": "vehicle.doorsState.lockedState", "value": [1]}, {"data": "vehicle.doorsState.lockedState", "value": []}]"#)
        XCTAssertEqual(bad.values, [:])
        XCTAssertEqual(bad.warnings.map(\.field), ["doors.locked", "doors.locked"])

        let (v, w) = decode("""
        [{"data": "vehicle.preconditioning.airConditioning", "value": "Enabled"},
         {"data": "vehicle.alarm.status.activation", "value": "Inactive"}]
        """)
        XCTAssertEqual(w, [])
        XCTAssertEqual(v, ["preconditioning.status": .member("Enabled"), "alarm.active": .bool(false)])
        let object = decode(#"[{"data": "vehicle.preconditioning.airConditioning", "value": {"status": "Finished", "updatedAt": "2026-11-27T08:00:00Z"}}]"#)
        XCTAssertEqual(object.values, ["preconditioning.status": .member("Finished")])
        let odd = decode(#"[{"data": "vehicle.preconditioning.airConditioning", "value": "Warming"}]"#)
        XCTAssertEqual(odd.values, ["preconditioning.status": .member("Warming")], "outside the enum: kept")
        XCTAssertEqual(odd.warnings.count, 1)
    }

    func testPathsOutsideTheTableUpdateNothing() {
        let (v, warnings) = decode("""
        [{"data": "vehicle.trip.start", "value": "TRIP42"},
         {"data": "vehicle.doorsState.opening", "value": "Open"},
         {"data": "vehicle.alert", "value": {"type": "obj.alert", "body": {"objectValues": [{"type": "RiskOfIce"}]}}},
         {"data": "something.new", "value": "1"},
         {"data": "vehicle.energy.electric.level", "value": null},
         {"data": "vehicle.energy.electric.level"}]
        """)
        XCTAssertEqual(v, [:])
        XCTAssertEqual(warnings, [])
    }

    func testUnparseableValuesWarnAndUpdateNothing() {
        let (v, warnings) = decode("""
        [{"data": "vehicle.energy.electric.level", "value": "eighteen"},
         {"data": "vehicle.energy.charging.plugged", "value": "yes"},
         {"data": "vehicle.kinetic.speed", "value": ["1", "2"]},
         {"data": "vehicle.odometer", "value": {"type": "string", "body": {}}},
         {"data": "vehicle.alarm.status.activation", "value": "Maybe"},
         {"data": "privacy.state", "value": 3},
         {"data": 7, "value": "1"}, "garbage"]
        """)
        XCTAssertEqual(v, [:])
        XCTAssertEqual(warnings.map(\.field), ["battery.level", "charging.plugged", "speed", "odometer",
                                               "alarm.active", "privacy", "values[6]", "values[7]"])
        XCTAssertEqual(warnings[0].message,
                       "values[0].value (vehicle.energy.electric.level): \"eighteen\": expected a number; ignored")
    }

    func testUnknownEnumValueIsKept() {
        let (v, warnings) = decode(#"[{"data": "vehicle.energy.charging.status", "value": "Paused"}]"#)
        XCTAssertEqual(v["charging.status"], .member("Paused"))
        XCTAssertEqual(warnings.map(\.field), ["charging.status"])
    }

    func testLaterValuesOfTheSamePathWin() {
        let (v, _) = decode("""
        [{"data": "vehicle.energy.electric.level", "value": "18"},
         {"data": "vehicle.energy.electric.level", "value": "19"}]
        """)
        XCTAssertEqual(v["battery.level"], .number(19))
    }
}
