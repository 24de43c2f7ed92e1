/// `DataTrigger`: `{data, op, value}`. `data` is one of the API's 29 paths (see
/// `DataTrigger.data` in api-b2c.yaml); `value` holds one item for `equalsTo`,
/// `greaterThan`, `lowerThan`, one or more for `includedIn`, none for `onChange`.
/// Values are strings, as the schema types them (`["75"]`, `["true"]`, `["InProgress"]`).
public struct DataTrigger: Sendable, Hashable {
    public enum Op: String, Sendable, Hashable, Codable, CaseIterable {
        case equalsTo, greaterThan, lowerThan, includedIn, onChange
    }
    /// `previous`: the initial state the data must leave for the first triggering.
    public struct Previous: Sendable, Hashable, Codable {
        public var value: [String]
        /// `equalsTo` or `includedIn`.
        public var op: Op
        public init(value: [String], op: Op) {
            self.value = value
            self.op = op
        }
    }
    public var data: String
    public var op: Op
    public var value: [String]?
    public var previous: Previous?
    public init(data: String, op: Op, value: [String]? = nil, previous: Previous? = nil) {
        self.data = data
        self.op = op
        self.value = value
        self.previous = previous
    }
}

extension DataTrigger: Codable {}
