/// Read access to a JSON value, whatever holds it: a `JSONValue` tree, or a node of a
/// `JSONTape` (a line parsed in place, without a `String` per key or a dictionary per
/// object). The status decoder and the monitor-event reader are written once against
/// it, so a replay line read from its bytes and a webhook body parsed into a tree are
/// decoded by the same code.
public protocol JSONNode {
    var isNull: Bool { get }
    var isObject: Bool { get }
    /// An object's member (the first one of that name, as the parser keeps it); nil when
    /// absent or when this is not an object.
    subscript(key: String) -> Self? { get }
    var stringValue: String? { get }
    /// A number's value (finite: the parser refuses others).
    var doubleValue: Double? { get }
    var boolValue: Bool? { get }
    /// An array's items; nil when this is not an array.
    var arrayItems: [Self]? { get }
    /// The value as a tree (for warnings that quote it).
    var jsonValue: JSONValue { get }
}

extension JSONValue: JSONNode {
    public var isObject: Bool { if case .object = self { return true } else { return false } }
    public var arrayItems: [JSONValue]? { arrayValue }
    public var jsonValue: JSONValue { self }
}
