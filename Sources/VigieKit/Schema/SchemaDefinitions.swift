import RuleLanguage
import VehicleData

/// The `definitions` of the rule-file JSON Schema (see `SchemaGenerator`).
enum SchemaDefinitions {
    /// Zone and schedule names (usable as identifiers in expressions).
    static let namePattern = "^[A-Za-z_][A-Za-z0-9_-]*$"
    static let idPattern = "^[a-z0-9-]+$"

    static func all() -> [String: JSONValue] {
        var out: [String: JSONValue] = [
            "text": .object(["type": s("string")]),
            "vehicles": vehicles(),
            "zone": zone(),
            "point": point(),
            "distance": pattern("^-?[0-9]+(\\.[0-9]+)? ?(km|m)$", "A distance with its unit: `2 km`, `500 m`."),
            "duration": pattern("^[0-9]+(\\.[0-9]+)? ?[smhd]( ?[0-9]+(\\.[0-9]+)? ?[smhd])*$",
                                "A duration with its unit: `30s`, `5m` (minutes), `1.5h`, `1h30m`, `1d`."),
            "time": pattern("^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$", "A wall-clock time `HH:MM` (quote it)."),
            "schedule": schedule(),
            "rule": rule(),
            "expression": expression(),
            "field": field(),
            "action": .object(["oneOf": .array(SchemaActions.all())]),
        ]
        for (name, value) in SchemaActions.definitions() { out[name] = value }
        return out
    }

    static func vehicles() -> JSONValue {
        let selector: JSONValue = .object([
            "type": s("object"), "additionalProperties": .bool(false), "minProperties": n(1), "maxProperties": n(1),
            "properties": .object(["vin": .object(["type": s("string")]), "tag": .object(["type": s("string")])]),
        ])
        return .object([
            "description": s("Which vehicles see the bundle: `all`, or a list of `{vin: …}` / `{tag: …}` selectors."),
            "anyOf": .array([.object(["enum": list(["all"])]),
                             .object(["type": s("array"), "minItems": n(1), "items": selector])]),
        ])
    }

    static func zone() -> JSONValue {
        .object([
            "type": s("object"), "required": list(["center", "radius"]), "additionalProperties": .bool(false),
            "properties": .object([
                "center": SchemaGenerator.ref("point"),
                "radius": SchemaGenerator.ref("distance"),
            ]),
        ])
    }

    static func point() -> JSONValue {
        .object([
            "type": s("object"), "required": list(["lat", "lon"]), "additionalProperties": .bool(false),
            "properties": .object([
                "lat": .object(["type": s("number"), "minimum": n(-90), "maximum": n(90)]),
                "lon": .object(["type": s("number"), "minimum": n(-180), "maximum": n(180)]),
            ]),
        ])
    }

    static func schedule() -> JSONValue {
        .object([
            "description": s("A weekly window [from, to) in the bundle's time zone; `to` <= `from` wraps past midnight."),
            "type": s("object"), "additionalProperties": .bool(false),
            "properties": .object([
                "days": .object(["type": s("array"), "uniqueItems": .bool(true), "items": day()]),
                "from": SchemaGenerator.ref("time"),
                "to": SchemaGenerator.ref("time"),
            ]),
        ])
    }

    /// `Mon` … `Sun` (offered by editors), in any letter case (as the checker reads them).
    static func day() -> JSONValue {
        let names = Weekday.allCases.map(\.name)
        let anyCase = names.map { $0.map { "[\($0.uppercased())\($0.lowercased())]" }.joined() }.joined(separator: "|")
        return .object(["anyOf": .array([
            .object(["enum": list(names)]),
            .object(["type": s("string"), "pattern": s("^(\(anyCase))$")]),
        ])])
    }

    static func rule() -> JSONValue {
        let during: JSONValue = .object([
            "description": s("A schedule name, a list of names (any of them), or an inline schedule."),
            "anyOf": .array([
                .object(["type": s("string")]),
                .object(["type": s("array"), "items": .object(["type": s("string")])]),
                SchemaGenerator.ref("schedule"),
            ]),
        ])
        return .object([
            "type": s("object"), "required": list(["id", "when", "then"]), "additionalProperties": .bool(false),
            "properties": .object([
                "id": .object(["type": s("string"), "pattern": s(idPattern)]),
                "description": SchemaGenerator.ref("text"),
                "when": SchemaGenerator.ref("expression"),
                "for": described("duration", "The condition must hold this long before the rule fires."),
                "during": during,
                "then": .object(["type": s("array"), "minItems": n(1), "items": SchemaGenerator.ref("action")]),
                "cooldown": described("duration", "A rise within this time of the last firing is suppressed."),
                "repeat": described("duration", "Fire again at this interval while the condition stays true."),
                "max_per_day": .object(["type": s("integer"), "minimum": n(0),
                                        "description": s("Firings per calendar day at most; beyond, suppressed.")]),
                "mode": .object(["enum": list(RuleMode.allCases.map(\.rawValue))]),
                "enabled": .object(["type": s("boolean"), "description": s("false turns the rule off (default true).")]),
                "allow": .object([
                    "description": s("Opt-ins of this rule: `feedback` acknowledges a known feedback loop (see docs/rule-language.md)."),
                    "type": s("array"), "uniqueItems": .bool(true), "items": .object(["enum": list(["feedback"])]),
                ]),
            ]),
        ])
    }

    static func expression() -> JSONValue {
        let fields = Catalog.fields.map { "`\($0.alias)`" }.joined(separator: ", ")
        return .object([
            "description": s("A condition: comparisons (< <= > >= == !=), in [..], not in [..], and, or, not, "
                             + "parentheses, numbers with units, enum members, the functions inside(zone), "
                             + "entered(zone), left(zone), changed(field), within(schedule), has(field, Member), "
                             + "age(field) compared with a duration (age(position) > 12h). "
                             + "Fields: \(fields)."),
            "anyOf": .array([.object(["type": s("string")]), .object(["type": s("boolean")])]),
            "examples": list(["battery.level < 20 % and charging.plugged", "inside(depot) and not doors.locked",
                              "age(odometer) > 12h"]),
        ])
    }

    static func field() -> JSONValue {
        .object([
            "description": s("The field aliases of the data catalog (for documentation)."),
            "enum": list(Catalog.fields.map(\.alias)),
        ])
    }

    static func described(_ definition: String, _ description: String) -> JSONValue {
        .object(["description": s(description), "allOf": .array([SchemaGenerator.ref(definition)])])
    }

    static func pattern(_ regex: String, _ description: String) -> JSONValue {
        .object(["type": s("string"), "pattern": s(regex), "description": s(description)])
    }

    static func s(_ text: String) -> JSONValue { .string(text) }
    static func list(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
    static func n(_ value: Double) -> JSONValue { .number(value) }
}
