import Foundation
import VehicleData

/// A JSON-like value: what an OpenAPI document is made of once loaded, and what a
/// request or response body is validated as. It is VehicleData's `JSONValue` (the same
/// six cases), so a body the code under test builds is validated as it is.
package typealias OpenAPIValue = JSONValue

extension JSONValue {
    /// The JSON type name used in schema violations (`integer` for whole numbers).
    var schemaTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n.rounded() == n ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Parses JSON text with `JSONDecoder` (booleans stay booleans).
    package static func parsing(json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }
}
