import RuleLanguage
import VehicleData

/// Generates the JSON Schema (draft-07, which yaml-language-server supports best) of
/// rule files, format version 1, from the data catalog: editors complete keys and
/// actions and check values. The rule language's own checks (expressions, units,
/// references) stay with `vigie validate`; the schema is a guide, never stricter
/// than the checker on a valid file. `vigie schema` prints it; the committed copy is
/// `schema/vigie-rules.schema.json`.
package enum SchemaGenerator {

    package static let committedPath = "schema/vigie-rules.schema.json"

    /// The schema as pretty JSON text with sorted keys, ending with a newline.
    package static func text() -> String {
        CanonicalJSON.text(schema()) + "\n"
    }

    package static func schema() -> JSONValue {
        allowingExtensionKeys(.object([
            "$schema": s("http://json-schema.org/draft-07/schema#"),
            "title": s("Vigie rule file (format version 1)"),
            "description": s("A bundle of rules for Stellantis connected vehicles. See docs/rule-language.md."),
            "type": s("object"),
            "required": list(["vigie", "bundle", "rules"]),
            "additionalProperties": .bool(false),
            "properties": .object(topProperties()),
            "definitions": .object(SchemaDefinitions.all()),
        ]))
    }

    /// Keys starting with `x-` are ignored by the loader in every mapping (they hold
    /// YAML anchors): every closed object of the schema lets them through.
    static func allowingExtensionKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(allowingExtensionKeys))
        case .object(var object):
            for (key, child) in object where key != "enum" { object[key] = allowingExtensionKeys(child) }
            if let extra = object["additionalProperties"], extra != .bool(true) {
                object["patternProperties"] = .object(["^x-": .object([:])])
            }
            return .object(object)
        default: return value
        }
    }

    static func topProperties() -> [String: JSONValue] {
        [
            "vigie": .object(["description": s("Format version; only 1 is defined."), "enum": .array([n(1)])]),
            "bundle": .object(["description": s("Bundle name, unique in a deployment."), "type": s("string"),
                               "pattern": s("^[a-z0-9-]+$")]),
            "description": ref("text"),
            "timezone": .object(["description": s("IANA time-zone name for schedules and charge times (default UTC)."),
                                 "type": s("string"), "examples": list(["Europe/Paris", "UTC"])]),
            "vehicles": ref("vehicles"),
            "allow": .object([
                "description": s("Sensitive actions this bundle opts in to (see docs/rule-language.md)."),
                "type": s("array"), "uniqueItems": .bool(true), "items": .object(["enum": list(["doors.unlock"])]),
            ]),
            "zones": .object([
                "description": s("Named circular zones, for inside/entered/left and navigate."),
                "type": s("object"), "propertyNames": .object(["pattern": s(SchemaDefinitions.namePattern)]),
                "additionalProperties": ref("zone"),
            ]),
            "schedules": .object([
                "description": s("Named weekly windows, for during and within."),
                "type": s("object"), "propertyNames": .object(["pattern": s(SchemaDefinitions.namePattern)]),
                "additionalProperties": ref("schedule"),
            ]),
            "rules": .object([
                "description": s("The bundle's rules: at least one (turn a rule off with enabled: false)."),
                "type": s("array"), "minItems": n(1), "items": ref("rule"),
            ]),
        ]
    }

    private static func s(_ text: String) -> JSONValue { .string(text) }
    private static func list(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
    private static func n(_ value: Double) -> JSONValue { .number(value) }

    static func ref(_ name: String) -> JSONValue {
        .object(["$ref": .string("#/definitions/\(name)")])
    }
}
