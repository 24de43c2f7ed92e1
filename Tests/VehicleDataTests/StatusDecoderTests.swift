import XCTest
import VehicleData

final class StatusDecoderTests: XCTestCase {
    private func decode(_ text: String) -> (values: [String: FieldValue], warnings: [DecodeWarning]) {
        let result = StatusDecoder.decode(TestPayloads.json(text))
        return (TestPayloads.byAlias(result.observation), result.warnings)
    }

    func testSchemaShapedStatus() {
        let (v, warnings) = decode(TestPayloads.schemaShaped)
        XCTAssertEqual(warnings, [])
        let expected: [String: FieldValue] = [
            "battery.level": .number(18), "battery.autonomy": .number(62),
            "fuel.level": .number(41.5), "fuel.autonomy": .number(320), "autonomy": .number(382),
            "charging.plugged": .bool(true), "charging.status": .member("InProgress"),
            "charging.mode": .member("Slow"), "charging.rate": .number(42),
            "charging.remaining_time": .number(5400), "charging.type": .member("Full"),
            "charging.power_level": .member("Level3"),
            "speed": .number(0), "moving": .bool(false), "odometer": .number(12978.9),
            "outside.temperature": .number(-3.5), "ignition": .member("Stop"),
            "preconditioning.status": .member("Disabled"), "privacy": .member("None"),
            "alarm.active": .bool(true), "alarm.trigger": .member("NoBreakIn"),
            "doors.locked": .bool(true), "doors.open": .bool(false),
            "position": .point(latitude: 48.8667, longitude: 2.3333),
            "powertrain.status": .member("NotRunning"), "oil.temperature": .number(87.5),
            "driving.mode": .member("Eco"), "battery.health": .number(97),
            "battery.health.resistance": .number(95), "aux_battery.health": .number(87.5),
        ]
        XCTAssertEqual(v, expected)
    }

    func testRealWorldShapedStatus() {
        let (v, warnings) = decode(TestPayloads.realWorld)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(v["battery.level"], .number(80.5))
        XCTAssertEqual(v["battery.autonomy"], .number(250))
        XCTAssertEqual(v["fuel.level"], .number(0))
        XCTAssertNil(v["fuel.autonomy"], "null autonomy is absent")
        XCTAssertEqual(v["autonomy"], .number(250), "sum of the autonomies present")
        XCTAssertEqual(v["charging.plugged"], .bool(false))
        XCTAssertEqual(v["charging.status"], .member("Disconnected"))
        XCTAssertEqual(v["charging.mode"], .member("No"))
        XCTAssertEqual(v["charging.remaining_time"], .number(0))
        XCTAssertEqual(v["preconditioning.status"], .member("Enabled"), "preconditionning spelling")
        XCTAssertEqual(v["position"], .point(latitude: 48.85, longitude: 2.29), "altitude dropped")
        XCTAssertEqual(v["doors.locked"], .bool(false))
        XCTAssertEqual(v["doors.open"], .bool(true))
        XCTAssertEqual(v["moving"], .bool(true))
        XCTAssertEqual(v["speed"], .number(87.3))
        XCTAssertEqual(v["odometer"], .number(45000.4))
        XCTAssertEqual(v["ignition"], .member("StartUp"))
        XCTAssertEqual(v["privacy"], .member("Geolocation"))
        for absent in ["alarm.active", "alarm.trigger", "outside.temperature", "oil.temperature", "alerts"] {
            XCTAssertNil(v[absent], absent)
        }
    }

    func testEnergyAsASingleObject() {
        let (v, _) = decode("""
        {"energy": {"type": "Electric", "level": 55, "autonomy": 180,
                    "charging": {"plugged": true, "status": "Finished"}}}
        """)
        XCTAssertEqual(v["battery.level"], .number(55))
        XCTAssertEqual(v["autonomy"], .number(180))
        XCTAssertEqual(v["charging.status"], .member("Finished"))
        XCTAssertNil(v["fuel.level"])
    }

    func testEnergiesWinOverEnergyAndChargingFallsBackKeyByKey() {
        let (v, _) = decode("""
        {"energies": [{"type": "Electric", "level": 10,
                       "charging": {"plugged": null, "status": "Stopped"},
                       "extension": {"electric": {"charging": {"plugged": true, "status": "Failure", "chargingRate": 7}}}}],
         "energy": [{"type": "Electric", "level": 99}]}
        """)
        XCTAssertEqual(v["battery.level"], .number(10))
        XCTAssertEqual(v["charging.status"], .member("Stopped"), "direct charging first")
        XCTAssertEqual(v["charging.plugged"], .bool(true), "null direct value falls back to the extension")
        XCTAssertEqual(v["charging.rate"], .number(7))
    }

    func testAutonomyIsTheSumOfEveryEntry() {
        let (v, _) = decode("""
        {"energies": [{"type": "Fuel", "autonomy": 400}, {"type": "Electric", "autonomy": 50.5},
                      {"type": "Hydrogen", "autonomy": 100}]}
        """)
        XCTAssertEqual(v["autonomy"], .number(550.5))
        XCTAssertEqual(v["fuel.autonomy"], .number(400))
        XCTAssertEqual(v["battery.autonomy"], .number(50.5))
        XCTAssertNil(decode(#"{"energies": [{"type": "Fuel", "level": 3}]}"#).values["autonomy"])
    }

    func testNullsAndMissingValuesAreAbsent() {
        let (v, warnings) = decode("""
        {"energies": [{"type": "Electric", "level": null, "autonomy": null,
                       "extension": {"electric": {"charging": {"plugged": null, "status": null}}}}],
         "kinetic": {"speed": null, "moving": null}, "odometer": null, "environment": {"air": null},
         "ignition": {"type": null}, "privacy": null, "alarm": {"status": null, "trigger": {"type": null}},
         "doorsState": {"lockedStates": null, "opening": null}, "lastPosition": {"geometry": {"coordinates": null}},
         "preconditioning": null, "preconditionning": {"airConditioning": {"status": null}},
         "engines": null, "powertrain": {"status": null}, "alerts": null}
        """)
        XCTAssertEqual(v, [:])
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(decode("{}").values, [:])
        XCTAssertEqual(decode("null").values, [:])
    }

    func testUnknownEnumValuesAreKeptWithAWarning() {
        let (v, warnings) = decode("""
        {"energies": [{"type": "Electric", "charging": {"status": "Charging", "chargingMode": "Fast",
                                                         "chargingPowerLevel": "Level9"}}],
         "ignition": {"type": "Accessory"}, "privacy": {"state": "None"}}
        """)
        XCTAssertEqual(v["charging.status"], .member("Charging"))
        XCTAssertEqual(v["charging.mode"], .member("Fast"))
        XCTAssertEqual(v["charging.power_level"], .member("Level9"))
        XCTAssertEqual(v["ignition"], .member("Accessory"))
        XCTAssertEqual(Set(warnings.map(\.field)),
                       ["charging.status", "charging.mode", "charging.power_level", "ignition"])
        let status = warnings.first { $0.field == "charging.status" }
        XCTAssertEqual(status?.value, "\"Charging\"")
        XCTAssertEqual(status?.message,
                       "energies[0].charging.status: \"Charging\": not a documented member "
                       + "(Disconnected, InProgress, Failure, Stopped, Finished); kept, equals no member")
    }

    func testWrongTypesWarnAndLeaveTheFieldAbsent() {
        let (v, warnings) = decode("""
        {"energies": [{"type": "Electric", "level": "18", "autonomy": true,
                       "charging": {"plugged": "true", "status": 3, "remainingTime": "soon", "chargingRate": "x"}}],
         "kinetic": {"speed": "fast", "moving": 1}, "odometer": {"mileage": "12978,9"},
         "environment": {"air": {"temp": "33,3"}}, "ignition": "Start", "privacy": {"state": ["None"]},
         "alarm": {"status": {"activation": true}}, "doorsState": {"lockedStates": "Locked", "opening": {}},
         "lastPosition": {"geometry": {"coordinates": ["2.3", 48.8]}}, "energy": 5}
        """)
        XCTAssertEqual(v, [:])
        let fields = Set(warnings.map(\.field))
        for alias in ["battery.level", "battery.autonomy", "charging.plugged", "charging.status",
                      "charging.remaining_time", "charging.rate", "speed", "moving", "odometer",
                      "outside.temperature", "ignition", "privacy", "alarm.active", "doors.locked", "doors.open",
                      "position"] {
            XCTAssertTrue(fields.contains(alias), "a warning for \(alias): \(fields.sorted())")
        }
        let speed = warnings.first { $0.field == "speed" }
        XCTAssertEqual(speed?.message, "kinetic.speed: \"fast\": expected a number; ignored")
    }

    func testDoorsLockedExactlyPerSemantics() {
        let cases: [([String], Bool)] = [
            (["Locked"], true), (["SuperLocked"], true), (["Locked", "TrunkLocked"], true),
            (["Locked", "TrunkUnLocked"], false), (["Locked", "DriverDoorUnlocked"], false),
            (["SuperLocked", "CargoDoorsUnlocked"], false), (["Unlocked"], false), (["TrunkLocked"], false),
            (["CargoDoorsLocked", "RearDoorsLocked"], false), ([], false), (["Locked", "TRUNKUNLOCKED"], false),
        ]
        for (states, locked) in cases {
            let list = states.map { "\"\($0)\"" }.joined(separator: ",")
            let v = decode(#"{"doorsState": {"lockedStates": [\#(list)]}}"#).values
            XCTAssertEqual(v["doors.locked"], .bool(locked), "\(states)")
        }
    }

    func testDoorsOpen() {
        XCTAssertEqual(decode(#"{"doorsState": {"opening": [{"state": "Closed"}, {"identifier": "Trunk", "state": "Open"}]}}"#)
            .values["doors.open"], .bool(true))
        XCTAssertEqual(decode(#"{"doorsState": {"opening": []}}"#).values["doors.open"], .bool(false))
        XCTAssertNil(decode(#"{"doorsState": {"opening": [{"identifier": "Trunk"}]}}"#).values["doors.open"])
    }

    func testAlarmActivation() {
        XCTAssertEqual(decode(#"{"alarm": {"status": {"activation": "Inactive"}}}"#).values["alarm.active"], .bool(false))
        let odd = decode(#"{"alarm": {"status": {"activation": "Arming"}}}"#)
        XCTAssertEqual(odd.values["alarm.active"], .bool(false))
        XCTAssertEqual(odd.warnings.map(\.field), ["alarm.active"])
    }

    func testAlerts() {
        let (v, warnings) = decode("""
        {"alerts": [{"type": "FuelLevelLow", "active": true}, {"type": "OilLevelLow", "active": false},
                    {"type": "RiskOfIce"}, "TrunkOrHoodOpen", {"type": "NewAlertKind"}]}
        """)
        XCTAssertEqual(v["alerts"], .set(["FuelLevelLow", "NewAlertKind", "RiskOfIce", "TrunkOrHoodOpen"]))
        XCTAssertEqual(warnings.map(\.field), ["alerts"])
        XCTAssertEqual(decode(#"{"alerts": []}"#).values["alerts"], .set([]))
        XCTAssertEqual(decode(#"{"alerts": {"_embedded": {"alerts": [{"type": "RiskOfIce"}]}}}"#).values["alerts"],
                       .set(["RiskOfIce"]))
    }

    func testEnginesOilTemperatureAndDeprecatedFallbacks() {
        let v = decode("""
        {"engines": [{"type": "Electric", "extension": {"thermic": {"oil": {"temp": 1}}}},
                     {"oil": {"temp": 95}, "gmpStatus": "Running"}]}
        """).values
        XCTAssertEqual(v["oil.temperature"], .number(95))
        XCTAssertEqual(v["powertrain.status"], .member("Running"))
        let both = decode(#"{"powertrain": {"status": "Stopped"}, "engines": [{"gmpStatus": "Running"}]}"#).values
        XCTAssertEqual(both["powertrain.status"], .member("Stopped"))
    }

    func testPositionBounds() {
        XCTAssertEqual(decode(#"{"lastPosition": {"geometry": {"coordinates": [-0.1, 51.5]}}}"#).values["position"],
                       .point(latitude: 51.5, longitude: -0.1))
        for bad in ["[48.8]", "[200, 10]", "[10, 95]", "{}", "\"2.3,48.8\"", "[]"] {
            let r = decode(#"{"lastPosition": {"geometry": {"coordinates": \#(bad)}}}"#)
            XCTAssertNil(r.values["position"], bad)
            XCTAssertEqual(r.warnings.map(\.field), ["position"], bad)
        }
    }

    func testISODurations() {
        let cases: [(String, Double?)] = [
            ("PT1H30M", 5400), ("PT0S", 0), ("PT45.5S", 45.5), ("PT1,5H", 5400), ("P1DT2H", 93600), ("P2W", 1_209_600),
            ("pt10m", 600), ("PT", nil), ("P", nil), ("P1Y", nil), ("P1M", nil), ("PT1M1H", nil), ("1H", nil),
            ("PTH", nil), ("-PT1H", nil), ("PT1HT1M", nil), ("", nil), ("PT1.2.3S", nil),
        ]
        for (text, seconds) in cases {
            XCTAssertEqual(ISODuration.seconds(text), seconds, text)
        }
    }

    func testNonObjectStatusIsRejectedWithAWarning() {
        for text in ["[]", "3", "\"status\"", "true"] {
            let r = decode(text)
            XCTAssertEqual(r.values, [:])
            XCTAssertEqual(r.warnings.map(\.field), ["status"], text)
        }
    }
}
