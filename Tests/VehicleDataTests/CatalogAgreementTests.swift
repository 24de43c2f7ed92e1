import XCTest
@testable import VehicleData
import VigieTestSupport

/// The catalog agrees with api-b2c.yaml: every enum member of every enum field, every
/// monitorable path with its exact op set, the 29 count.
final class CatalogAgreementTests: XCTestCase {
    /// Where each field's values are described in the API file — declared here on its own
    /// (not read from the generator), so a wrong pointer in the script shows up as a
    /// disagreement.
    static let schemaOf: [String: String] = [
        "charging.status": "ChargingStatusEnum",
        "ignition": "IgnitionBase.type",
        "preconditioning.status": "PreconditioningBase.airConditioning.status",
        "privacy": "PrivacyBase.state",
        "charging.mode": "EnergyCharging.chargingMode",
        "charging.type": "EnergyCharging.type",
        "charging.power_level": "EnergyCharging.chargingPowerLevel",
        "powertrain.status": "PowertrainBase.status",
        "alarm.trigger": "BaseAlarmTrigger.type",
        "alerts": "AlertMsgEnum",
        "driving.mode": "DrivingBehaviorBase.mode",
    ]

    /// SEMANTICS.md's aliases, in the FieldID order other modules rely on.
    static let fixedPrefix = [
        "battery.level", "battery.autonomy", "fuel.level", "fuel.autonomy", "autonomy",
        "charging.plugged", "charging.status", "speed", "moving", "odometer", "outside.temperature",
        "ignition", "preconditioning.status", "privacy", "alarm.active", "doors.locked", "position",
    ]

    func testFixedAliasesKeepTheirIDs() {
        XCTAssertEqual(Array(Catalog.fields.prefix(17).map(\.alias)), Self.fixedPrefix)
        for (i, field) in Catalog.fields.enumerated() {
            XCTAssertEqual(field.id.index, i, field.alias)
            XCTAssertEqual(Catalog.field(named: field.alias), field)
            XCTAssertEqual(Catalog[field.id], field)
        }
        XCTAssertEqual(Set(Catalog.fields.map(\.alias)).count, Catalog.fields.count, "aliases are unique")
    }

    func testEveryFieldTheIssueListsExistsWithItsType() {
        let expected: [String: ValueType] = [
            "battery.level": .number(.percent), "battery.autonomy": .number(.distance),
            "fuel.level": .number(.percent), "fuel.autonomy": .number(.distance), "autonomy": .number(.distance),
            "charging.plugged": .bool, "charging.rate": .number(.speed),
            "charging.remaining_time": .number(.duration), "doors.locked": .bool, "doors.open": .bool,
            "moving": .bool, "speed": .number(.speed), "odometer": .number(.distance),
            "outside.temperature": .number(.temperature), "alarm.active": .bool, "position": .point,
            "oil.temperature": .number(.temperature),
        ]
        for (alias, type) in expected {
            XCTAssertEqual(Catalog.field(named: alias)?.type, type, alias)
        }
        for alias in ["charging.status", "charging.mode", "charging.type", "charging.power_level", "ignition",
                      "powertrain.status", "preconditioning.status", "privacy", "alarm.trigger"] {
            guard case .enumeration = Catalog.field(named: alias)?.type else { return XCTFail("\(alias) is an enum") }
        }
        guard case .enumSet = Catalog.field(named: "alerts")?.type else { return XCTFail("alerts is an enumSet") }
    }

    func testEveryEnumMemberMatchesTheSchema() throws {
        let api = try SchemaWalker.b2c()
        var enumFields = 0
        for field in Catalog.fields {
            let members: [String]
            switch field.type {
            case .enumeration(let m), .enumSet(let m): members = m
            default: continue
            }
            enumFields += 1
            let pointer = try XCTUnwrap(Self.schemaOf[field.alias], "no schema pointer for \(field.alias)")
            let schema = try XCTUnwrap(api.enumMembers(pointer), "\(pointer) has no enum")
            XCTAssertEqual(members, schema, field.alias)
        }
        XCTAssertEqual(enumFields, Self.schemaOf.count)
        // The fields derived from enums rely on these members.
        XCTAssertTrue(try XCTUnwrap(api.enumMembers("BaseAlarmStatus.activation")).contains("Active"))
        let locked = try XCTUnwrap(api.enumMembers("DoorsStateBase.lockedStates[]"))
        XCTAssertTrue(locked.contains("Locked") && locked.contains("SuperLocked") && locked.contains("TrunkUnLocked"))
        XCTAssertEqual(api.enumMembers("DoorsStateBase.opening[].state"), ["Open", "Closed"])
        XCTAssertEqual(api.enumMembers("EnergyCharging.chargingMode"), ["No", "Slow", "Quick"], "No stays a string")
    }

    func testMonitorPathsAreTheAPIsTwentyNineWithExactOps() throws {
        let (rows, enumPaths) = try SchemaWalker.b2c().dataTriggerTable()
        XCTAssertEqual(enumPaths.count, 29)
        XCTAssertEqual(Set(rows.keys), Set(enumPaths), "table and enum list the same paths")
        XCTAssertEqual(Catalog.monitorPaths.map(\.path), enumPaths)
        for support in Catalog.monitorPaths {
            let row = try XCTUnwrap(rows[support.path])
            XCTAssertEqual(Set(support.ops.map(\.rawValue)), row.ops, support.path)
            XCTAssertEqual(support.apiType, row.type, support.path)
            XCTAssertEqual(Catalog.monitorSupport(forPath: support.path), support)
        }
        // Spot checks against stellantis-api/README.md.
        XCTAssertEqual(Catalog.monitorSupport(forPath: "vehicle.energy.electric.level")?.ops,
                       [.equalsTo, .greaterThan, .lowerThan])
        XCTAssertEqual(Catalog.monitorSupport(forPath: "vehicle.energy.charging.plugged")?.ops, [.onChange, .equalsTo])
        XCTAssertEqual(Catalog.monitorSupport(forPath: "vehicle.energy.charging.status")?.ops,
                       [.onChange, .equalsTo, .includedIn])
        XCTAssertEqual(Catalog.monitorSupport(forPath: "vehicle.alert")?.ops, [.onChange, .includedIn, .equalsTo])
        XCTAssertEqual(Catalog.monitorSupport(forPath: "vehicle.trip.state")?.ops, [.includedIn])
    }

    func testFieldsMonitoredThroughAPathCarryItsSupport() throws {
        var mapped = Set<String>()
        for field in Catalog.fields {
            guard let monitor = field.monitor else { continue }
            let api = try XCTUnwrap(Catalog.monitorSupport(forPath: monitor.path), field.alias)
            XCTAssertEqual(api.apiType, monitor.apiType, field.alias)
            if ["doors.locked", "alarm.active", "preconditioning.status"].contains(field.alias) {
                // Derived from the path's value: only a change of it can be watched.
                XCTAssertEqual(monitor.ops, [.onChange], field.alias)
                XCTAssertTrue(api.ops.contains(.onChange), field.alias)
            } else {
                XCTAssertEqual(api, monitor, field.alias)
            }
            XCTAssertEqual(field.isIntegral, monitor.apiType == "Integer", field.alias)
            XCTAssertEqual(Catalog.field(forMonitorPath: monitor.path), field)
            XCTAssertTrue(mapped.insert(monitor.path).inserted, "\(monitor.path) maps one field")
        }
        let semanticsTable: [String: String] = [
            "vehicle.energy.electric.level": "battery.level", "vehicle.energy.electric.autonomy": "battery.autonomy",
            "vehicle.energy.fuel.level": "fuel.level", "vehicle.energy.fuel.autonomy": "fuel.autonomy",
            "vehicle.autonomy": "autonomy", "vehicle.energy.charging.status": "charging.status",
            "vehicle.energy.charging.plugged": "charging.plugged", "vehicle.kinetic.moving": "moving",
            "vehicle.kinetic.speed": "speed", "vehicle.odometer": "odometer",
            "environment.air.temp": "outside.temperature", "privacy.state": "privacy",
        ]
        for (path, alias) in semanticsTable {
            XCTAssertEqual(Catalog.field(forMonitorPath: path)?.alias, alias, path)
        }
        XCTAssertNil(Catalog.field(forMonitorPath: "vehicle.trip.start"))
        XCTAssertNil(Catalog.field(forMonitorPath: "no.such.path"))
    }

    func testIntegralNumbersFollowTheSchemaWhenNoMonitorSaysOtherwise() throws {
        let api = try SchemaWalker.b2c()
        let rate = try XCTUnwrap(api.resolve("EnergyCharging.chargingRate"))
        XCTAssertEqual(api.attribute(rate, "type")?.stringValue, "integer")
        XCTAssertEqual(Catalog.field(named: "charging.rate")?.isIntegral, true)
        XCTAssertEqual(Catalog.field(named: "charging.remaining_time")?.isIntegral, false)
        XCTAssertEqual(Catalog.field(named: "speed")?.isIntegral, false)
    }

    func testDecoderFieldsAllExist() {
        // KnownField looks fields up by alias; touching each proves none is missing.
        let ids = [KnownField.batteryLevel, KnownField.chargingRemainingTime, KnownField.alerts,
                   KnownField.oilTemperature, KnownField.drivingMode, KnownField.doorsOpen, KnownField.position]
        XCTAssertEqual(Set(ids).count, ids.count)
    }
}
