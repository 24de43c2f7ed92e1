import VehicleData

/// The `then:` actions in the rule-file JSON Schema: each a mapping with one key,
/// mapping one to one onto a remote of the API, plus `notify`.
enum SchemaActions {
    static func all() -> [JSONValue] {
        ["charge", "precondition", "doors", "horn", "lights", "wake_up", "navigate", "notify"]
            .map { SchemaGenerator.ref("action-\($0)") }
    }

    static func definitions() -> [String: JSONValue] {
        [
            "action-charge": action("charge", "Start or stop charging, delay it to a time, or set preferences.", .object([
                "anyOf": .array([
                    .object(["enum": list(["start", "stop"])]),
                    .object(["type": s("object"), "required": list(["at"]), "additionalProperties": .bool(false),
                             "properties": .object(["at": SchemaGenerator.ref("time")])]),
                    .object(["type": s("object"), "minProperties": .number(1), "additionalProperties": .bool(false),
                             "properties": .object([
                                "level": .object(["enum": list(["Level1", "Level2", "Level3", "Level4", "Level5"])]),
                                "type": .object(["enum": list(["Partial", "Full"])]),
                             ])]),
                ]),
            ])),
            "action-precondition": action("precondition", "Start or stop air-conditioning preconditioning.",
                                          .object(["enum": list(["start", "stop"])])),
            "action-doors": action("doors", "Lock the doors (`unlock` needs `allow: [doors.unlock]`).",
                                   .object(["enum": list(["lock", "unlock"])])),
            "action-horn": action("horn", "Sound the horn.", .object(["enum": list(["on"])])),
            "action-lights": action("lights", "Flash the lights.", .object(["enum": list(["on"])])),
            "action-wake_up": action("wake_up", "Wake the vehicle up so it sends fresh data.",
                                     .object(["enum": .array([.bool(true)])])),
            "action-navigate": action("navigate", "Send a destination to the navigation system.", .object([
                "type": s("object"), "required": list(["to"]), "additionalProperties": .bool(false),
                "properties": .object([
                    "to": .object(["anyOf": .array([.object(["type": s("string")]), SchemaGenerator.ref("point")])]),
                    "approval": .object(["type": s("boolean")]),
                ]),
            ])),
            "action-notify": action("notify", "A message template: {{vin}}, {{rule}}, {{bundle}} or any field alias.",
                                    .object(["type": s("string")])),
        ]
    }

    static func action(_ key: String, _ description: String, _ value: JSONValue) -> JSONValue {
        .object([
            "description": s(description),
            "type": s("object"), "required": list([key]), "additionalProperties": .bool(false),
            "properties": .object([key: value]),
        ])
    }

    static func s(_ text: String) -> JSONValue { .string(text) }
    static func list(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }
}
