/// Something odd in a payload that was tolerated (an unknown enum value, a value of the
/// wrong type). Callers report each distinct (field, value) once.
public struct DecodeWarning: Sendable, Hashable {
    public var field: String
    public var value: String
    public var message: String
    public init(field: String, value: String, message: String) {
        self.field = field
        self.value = value
        self.message = message
    }
}

/// Decodes a `GET .../status` payload — in the schema's shape or the real-world shape of
/// stellantis-api/README.md — into an observation (SEMANTICS.md "Fields").
public enum StatusDecoder {
    // CONTRACT: implemented by the VehicleData work (helper B); signature fixed.
    public static func decode(_ status: JSONValue) -> (observation: Observation, warnings: [DecodeWarning]) {
        (Observation(), [])
    }
}

/// Maps a monitor event's `values` (`[{data, value}]`) onto fields (SEMANTICS.md table).
public enum MonitorValueMapping {
    // CONTRACT: implemented by the VehicleData work (helper B); signature fixed.
    public static func decode(values: [JSONValue]) -> (observation: Observation, warnings: [DecodeWarning]) {
        (Observation(), [])
    }
}
