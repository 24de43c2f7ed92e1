/// An API enumeration that tolerates values it does not know: a known member, or the
/// raw string kept as `.unknown(raw)`. The real API adds values the OpenAPI files do not
/// list (a charging mode `No`, new remote types…); decoding them must never fail.
///
///     typealias RemoteType = OpenEnum<RemoteTypeValue>
///     let t: RemoteType = .known(.horn)      // or RemoteType(.horn)
///     if t == .horn { … }                    // compares with a known member
public enum OpenEnum<Value>: Sendable, Hashable
where Value: RawRepresentable & Sendable & Hashable, Value.RawValue == String {
    case known(Value)
    case unknown(String)

    public init(_ value: Value) { self = .known(value) }

    /// Parses a raw string: a known member when one has that raw value, else `.unknown`.
    public init(rawValue: String) {
        if let value = Value(rawValue: rawValue) { self = .known(value) } else { self = .unknown(rawValue) }
    }

    /// The string as it travels on the wire.
    public var rawValue: String {
        switch self {
        case .known(let value): return value.rawValue
        case .unknown(let raw): return raw
        }
    }

    /// The known member, or nil for a value this build does not know.
    public var known: Value? {
        if case .known(let value) = self { return value }
        return nil
    }

    public static func == (lhs: OpenEnum, rhs: Value) -> Bool { lhs.known == rhs }
    public static func != (lhs: OpenEnum, rhs: Value) -> Bool { lhs.known != rhs }
}

extension OpenEnum: Codable {
    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension OpenEnum: CustomStringConvertible {
    public var description: String { rawValue }
}
