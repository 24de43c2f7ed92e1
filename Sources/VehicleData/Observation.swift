/// A value of one field, in the field's canonical unit.
public enum FieldValue: Sendable, Hashable {
    case number(Double)
    case bool(Bool)
    /// An enum value as observed: may be outside the field's documented members, in
    /// which case it is kept and equals no member (SEMANTICS.md).
    case member(String)
    /// The members of an `enumSet` field (e.g. active alerts).
    case set([String])
    case point(latitude: Double, longitude: Double)
}

/// What one status payload, notification or replay `set:` line says about a vehicle:
/// the fields it carries. A field it lacks (or carries as `null`) is absent here and
/// keeps its previous value in the vehicle's state.
///
/// `dataTimes` holds the data time (SEMANTICS.md "Data time and age": when the vehicle
/// measured the value, milliseconds since the epoch) of the values whose input says it;
/// a value without one has the observation instant, and the engine moves a data time
/// after the observation instant back to that instant.
public struct Observation: Sendable, Hashable {
    public var values: [FieldID: FieldValue]
    public var dataTimes: [FieldID: Int64]
    public init(values: [FieldID: FieldValue] = [:]) {
        self.values = values
        self.dataTimes = [:]
    }

    public init(values: [FieldID: FieldValue], dataTimes: [FieldID: Int64]) {
        self.values = values
        self.dataTimes = dataTimes
    }
    public var isEmpty: Bool { values.isEmpty }
    public subscript(field: FieldID) -> FieldValue? {
        get { values[field] }
        set { values[field] = newValue }
    }
}
