import XCTest
import VigieTestSupport

final class JSONSchemaValidatorTests: XCTestCase {
    private let yaml = """
    components:
      schemas:
        Point:
          type: object
          required: [x, y]
          additionalProperties: false
          properties:
            x: { type: integer, minimum: 0, maximum: 10 }
            y: { type: number }
            tag: { type: string, pattern: "^[a-z]+$", nullable: true }
        Shape:
          properties:
            kind: { type: string, enum: [Circle, Square, None, On] }
            points:
              type: array
              minItems: 1
              maxItems: 2
              items: { $ref: '#/components/schemas/Point' }
            either:
              oneOf:
                - type: string
                - type: integer
            all:
              allOf:
                - required: [a]
                - required: [b]
            name: { type: string, pattern: "\\"[a-zA-Z]+[.-_]?[0-9]*\\"" }
            broken: { type: string, pattern: "([a-z" }
            missing: { $ref: '#/components/schemas/Nowhere' }
    """

    private func validator() throws -> JSONSchemaValidator {
        JSONSchemaValidator(document: try OpenAPIDocument(yaml: yaml))
    }

    private func violations(_ json: String, _ schema: String = "Shape") throws -> [String] {
        try validator().validate(OpenAPIValue.parsing(json: json), schemaNamed: schema).map(\.description)
    }

    func testGoodInstancePasses() throws {
        let json = #"{"kind": "None", "points": [{"x": 3, "y": 1.5, "tag": null}], "either": 4,"#
            + #" "all": {"a": 1, "b": 2}, "name": "t12"}"#
        XCTAssertEqual(try violations(json), [])
    }

    func testYamlScalarsFollowCoreSchema() throws {
        let doc = try OpenAPIDocument(yaml: yaml)
        XCTAssertEqual(doc.schema(named: "Shape")?["properties"]?["kind"]?["enum"],
                       .array([.string("Circle"), .string("Square"), .string("None"), .string("On")]))
        XCTAssertEqual(doc.resolve(ref: "#/components/schemas/Point/properties/x/maximum"), .number(10))
        XCTAssertNil(doc.resolve(ref: "#/components/schemas/Nope"))
    }

    func testTypeRequiredAdditionalAndBounds() throws {
        let json = #"{"points": [{"x": 11, "z": true, "tag": "Bad"}]}"#
        XCTAssertEqual(try violations(json), [
            "$.points[0]: missing required property y",
            "$.points[0].tag: \"Bad\" does not match pattern ^[a-z]+$",
            "$.points[0].x: 11 is above the maximum 10",
            "$.points[0].z: property not allowed here",
        ])
        XCTAssertEqual(try violations(#"{"points": [{"x": 1.5, "y": "a"}]}"#), [
            "$.points[0].x: expected integer, found number",
            "$.points[0].y: expected number, found string",
        ])
    }

    func testEnumItemsCountsAndCombinators() throws {
        XCTAssertEqual(try violations(#"{"kind": "Triangle"}"#),
                       ["$.kind: \"Triangle\" is not one of [Circle, Square, None, On]"])
        XCTAssertEqual(try violations(#"{"points": []}"#), ["$.points: has 0 items, fewer than minItems 1"])
        let three = #"{"points": [{"x":1,"y":1},{"x":1,"y":1},{"x":1,"y":1}]}"#
        XCTAssertEqual(try violations(three), ["$.points: has 3 items, more than maxItems 2"])
        XCTAssertEqual(try violations(#"{"either": true}"#),
                       ["$.either: matches no branch of oneOf; closest: $.either: expected string, found boolean"])
        XCTAssertEqual(try violations(#"{"all": {"b": 1}}"#), ["$.all: missing required property a"])
        XCTAssertEqual(try violations(#"{"points": "x"}"#), ["$.points: expected array, found string"])
    }

    func testBrokenPatternsAreOverriddenOrSkipped() throws {
        let v = try validator()
        XCTAssertEqual(try v.validate(OpenAPIValue.parsing(json: #"{"name": "zone1", "broken": "x"}"#),
                                      schemaNamed: "Shape"), [])
        XCTAssertEqual(v.skippedPatterns, ["([a-z"])
        let bad = try v.validate(OpenAPIValue.parsing(json: #"{"name": "1zone"}"#), schemaNamed: "Shape")
        XCTAssertEqual(bad.map(\.path), ["$.name"])
    }

    func testUnresolvableRefIsAViolation() throws {
        XCTAssertEqual(try violations(#"{"missing": 1}"#),
                       ["$.missing: unresolvable $ref #/components/schemas/Nowhere"])
        XCTAssertThrowsError(try violations("{}", "Unknown"))
    }

    func testOfficialMonitorExampleAgainstB2C() throws {
        let v = JSONSchemaValidator(document: try OpenAPIDocument.official("api-b2c.yaml"))
        let good = """
        {"label": "m", "subscribeParam": {"refreshEvent": 300}, "extendedEventParam": ["vehicle.status"],
         "triggerParam": {"boolExp": "(a1 & !z1)", "triggers": [
           {"name": "a1", "data": {"data": "vehicle.energy.electric.level", "op": "lowerThan", "value": ["20"]}},
           {"name": "z1", "zone": {"transition": "In", "place": {"radius": 2, "center": {"latitude": 48.8, "longitude": 2.3}}}},
           {"name": "t1", "time": {"timeZone": "Etc/UTC", "times": [{"recurrence": "Daily", "start": "PT22H",
              "duration": "PT8H", "occurence": {"day": ["Mon"]}}]}}]}}
        """
        XCTAssertEqual(try v.validate(OpenAPIValue.parsing(json: good), schemaNamed: "MonitorParameter"), [])
        let bad = """
        {"subscribeParam": {"refreshEvent": 10}, "extendedEventParam": ["vehicle.nothing"],
         "triggerParam": {"boolExp": "a", "triggers": [
           {"name": "a-1", "data": {"data": "vehicle.foo", "op": "lessThan", "value": [20]}},
           {"name": "t", "time": {"timeZone": "UTC", "times": [{"recurrence": "Weekly"}]}}]}}
        """
        let found = try v.validate(OpenAPIValue.parsing(json: bad), schemaNamed: "MonitorParameter").map(\.path)
        XCTAssertEqual(Set(found), [
            "$", "$.subscribeParam.refreshEvent", "$.extendedEventParam[0]",
            "$.triggerParam.triggers[0].data.data", "$.triggerParam.triggers[0].data.op",
            "$.triggerParam.triggers[0].data.value[0]",
            "$.triggerParam.triggers[1].time.timeZone", "$.triggerParam.triggers[1].time.times[0]",
            "$.triggerParam.triggers[1].time.times[0].recurrence",
        ])
    }
}
