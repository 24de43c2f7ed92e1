/// Something odd in a payload that was tolerated (an unknown enum value, a value of the
/// wrong type). Callers report each distinct (field, value) once.
///
/// `field` is the rule-language alias concerned (`charging.mode`), or the payload path
/// when no single field is (`energies`); `value` is the offending value rendered as
/// compact JSON (truncated); `message` says where it was and what was done with it.
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
