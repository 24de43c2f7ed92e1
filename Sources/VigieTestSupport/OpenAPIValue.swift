import Foundation

/// A JSON-like value: what an OpenAPI document is made of once loaded, and what a
/// request or response body is validated as. Decodes from JSON (booleans stay booleans).
public enum OpenAPIValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([OpenAPIValue])
    case object([String: OpenAPIValue])

    public subscript(key: String) -> OpenAPIValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var arrayValue: [OpenAPIValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [String: OpenAPIValue]? { if case .object(let o) = self { return o } else { return nil } }

    /// The JSON type name used in violations (`integer` for whole numbers).
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n.rounded() == n ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Encodes `value` to JSON and reads it back as a value (what the API would receive).
    public static func encoding<T: Encodable>(_ value: T) throws -> OpenAPIValue {
        try JSONDecoder().decode(OpenAPIValue.self, from: JSONEncoder().encode(value))
    }

    /// Parses JSON text.
    public static func parsing(json: String) throws -> OpenAPIValue {
        try JSONDecoder().decode(OpenAPIValue.self, from: Data(json.utf8))
    }
}

extension OpenAPIValue: Decodable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([OpenAPIValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: OpenAPIValue].self)) }
    }
}
