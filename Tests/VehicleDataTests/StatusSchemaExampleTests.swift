import XCTest
import VehicleData
import VigieTestSupport

/// Status payloads built from api-b2c.yaml itself: the `Status` schema filled with the
/// file's own `example`s (else the first enum member, else a value of the schema type),
/// and every enum member of every enum field.
final class StatusSchemaExampleTests: XCTestCase {
    func testStatusSynthesizedFromTheSchemasExamples() throws {
        let api = try SchemaWalker.b2c()
        var status = try XCTUnwrap(ExampleSynthesizer(walker: api).status())
        XCTAssertNotNil(status["energies"], "the Status schema has energies")
        // One Fuel and one Electric entry, both from the Energy schema.
        if case .array(let entries) = status["energies"], var electric = entries.first?.objectValue,
           var fuel = entries.first?.objectValue, case .object(var root) = status {
            electric["type"] = .string("Electric")
            fuel["type"] = .string("Fuel")
            root["energies"] = .array([.object(fuel), .object(electric)])
            status = .object(root)
        }
        let result = StatusDecoder.decode(status)
        let v = TestPayloads.byAlias(result.observation)

        func example(_ pointer: String) -> String? {
            api.resolve(pointer).flatMap { api.attribute($0, "example")?.stringValue }
        }
        XCTAssertEqual(v["ignition"], .member(try XCTUnwrap(example("IgnitionBase.type"))))
        XCTAssertEqual(v["alarm.active"], .bool(example("BaseAlarmStatus.activation") == "Active"))
        let point = try XCTUnwrap(api.attribute(try XCTUnwrap(api.document.schema(named: "Point")), "example"))
        let coordinates = try XCTUnwrap(point["coordinates"]?.arrayValue?.compactMap(\.doubleValue))
        XCTAssertEqual(v["position"], .point(latitude: coordinates[1], longitude: coordinates[0]))
        XCTAssertEqual(v["charging.status"], .member("Disconnected"), "first member of ChargingStatusEnum")
        XCTAssertEqual(v["charging.mode"], .member("No"))
        XCTAssertEqual(v["charging.plugged"], .bool(true))
        XCTAssertEqual(v["charging.remaining_time"], .number(5400))
        XCTAssertEqual(v["battery.level"], v["fuel.level"])
        XCTAssertNotNil(v["autonomy"])
        XCTAssertEqual(v["doors.locked"], .bool(false), "first lockedStates member is Unlocked")
        XCTAssertEqual(v["doors.open"], .bool(true), "first opening state is Open")
        XCTAssertEqual(v["powertrain.status"], .member("NotRunning"))
        XCTAssertEqual(v["driving.mode"], .member("Normal"))
        XCTAssertEqual(v["preconditioning.status"], .member("Enabled"))
        XCTAssertNotNil(v["oil.temperature"])
        // The file's examples write decimals with a comma (`33,3`, `12978,9`): not numbers.
        XCTAssertEqual(example("AirBase.temp"), "33,3")
        XCTAssertNil(v["outside.temperature"])
        XCTAssertNil(v["odometer"])
        XCTAssertEqual(Set(result.warnings.map(\.field)), ["outside.temperature", "odometer"])
    }

    func testHandWrittenSchemaShapedFixtureValidatesAgainstTheStatusSchema() throws {
        let validator = JSONSchemaValidator(document: try OpenAPIDocument.official("api-b2c.yaml"))
        let payload = try OpenAPIValue.parsing(json: TestPayloads.schemaShaped)
        XCTAssertEqual(try validator.validate(payload, schemaNamed: "Status"), [])
    }

    func testEveryEnumMemberOfEveryEnumFieldDecodesWithoutWarning() throws {
        let templates: [String: String] = [
            "charging.status": #"{"energies": [{"type": "Electric", "extension": {"electric": {"charging": {"status": $}}}}]}"#,
            "charging.mode": #"{"energy": [{"type": "Electric", "charging": {"chargingMode": $}}]}"#,
            "charging.type": #"{"energies": [{"type": "Electric", "extension": {"electric": {"charging": {"type": $}}}}]}"#,
            "charging.power_level": #"{"energy": {"type": "Electric", "charging": {"chargingPowerLevel": $}}}"#,
            "ignition": #"{"ignition": {"type": $}}"#,
            "preconditioning.status": #"{"preconditioning": {"airConditioning": {"status": $}}}"#,
            "privacy": #"{"privacy": {"state": $}}"#,
            "powertrain.status": #"{"powertrain": {"status": $}}"#,
            "alarm.trigger": #"{"alarm": {"trigger": {"type": $}}}"#,
            "driving.mode": #"{"drivingBehavior": {"mode": $}}"#,
            "alerts": #"{"alerts": [{"type": $, "active": true}]}"#,
        ]
        for field in Catalog.fields {
            let members: [String]
            switch field.type {
            case .enumeration(let m), .enumSet(let m): members = m
            default: continue
            }
            let template = try XCTUnwrap(templates[field.alias], "no template for \(field.alias)")
            for member in members {
                let payload = TestPayloads.json(template.replacingOccurrences(of: "$", with: "\"\(member)\""))
                let result = StatusDecoder.decode(payload)
                XCTAssertEqual(result.warnings, [], "\(field.alias) \(member)")
                let expected: FieldValue = field.alias == "alerts" ? .set([member]) : .member(member)
                XCTAssertEqual(result.observation[field.id], expected, "\(field.alias) \(member)")
            }
        }
    }
}

/// Fills a schema with its examples, else its first enum member, else a typed value.
struct ExampleSynthesizer {
    let walker: SchemaWalker

    func status() -> JSONValue? {
        walker.document.schema(named: "Status").map { synthesize($0, depth: 0) }
    }

    func synthesize(_ node: OpenAPIValue, depth: Int) -> JSONValue {
        guard depth < 16 else { return .null }
        let branches = walker.branches(node)
        func attr(_ key: String) -> OpenAPIValue? { branches.lazy.compactMap { $0[key] }.first }
        if let example = attr("example"), attr("properties") == nil || example.objectValue != nil {
            return example
        }
        if let first = attr("enum")?.arrayValue?.first { return first }
        var properties: [String: OpenAPIValue] = [:]
        for branch in branches {
            for (key, value) in branch["properties"]?.objectValue ?? [:] where properties[key] == nil {
                properties[key] = value
            }
        }
        if !properties.isEmpty {
            return .object(properties.mapValues { synthesize($0, depth: depth + 1) })
        }
        switch attr("type")?.stringValue {
        case "array": return .array(attr("items").map { [synthesize($0, depth: depth + 1)] } ?? [])
        case "integer": return .number(7)
        case "number": return .number(12.5)
        case "boolean": return .bool(true)
        case "string":
            if attr("format")?.stringValue == "date-time" { return .string("2026-11-27T08:00:00Z") }
            if attr("description")?.stringValue?.contains("ISO8601") == true { return .string("PT1H30M") }
            return .string("text")
        default: return .null
        }
    }
}
