import Foundation
import VehicleData

/// Builds an instance of a schema of one of the official OpenAPI files by walking the
/// schema itself: the keys, nesting and array shapes come from the file, and a test only
/// chooses values at the paths it cares about. So a message built this way follows the
/// template as written, not as a test author remembered it.
///
/// Paths are written `events[0].values[1].data` (the root is the empty path).
package struct SchemaInstanceBuilder: Sendable {
    /// What to put at one path.
    package enum Choice: Sendable {
        /// What the schema gives: its first enum member, a date for `date-time`, `"x"` for
        /// another string, `0`, `false`, every property of an object, one array item.
        case generate
        /// Leave this property out.
        case omit
        /// This value, as is.
        case value(JSONValue)
        /// For an array: this many items, each built from the schema's `items`.
        case items(Int)
    }

    package let document: OpenAPIDocument
    package var date = "2026-03-02T22:05:00Z"

    package init(document: OpenAPIDocument) { self.document = document }

    /// An instance of `components.schemas[name]`, with `choose` deciding at each path.
    package func instance(of name: String, _ choose: (String) -> Choice) throws -> JSONValue {
        guard let schema = document.schema(named: name) else { throw OpenAPIError.noSchema(name) }
        return build(schema, path: "", choose, depth: 0) ?? .null
    }

    private func build(_ schema: JSONValue, path: String, _ choose: (String) -> Choice, depth: Int) -> JSONValue? {
        let count: Int
        switch choose(path) {
        case .omit: return nil
        case .value(let v): return v
        case .items(let n): count = n
        case .generate: count = 1
        }
        return generate(schema, path: path, count: count, choose, depth: depth)
    }

    private func generate(_ raw: JSONValue, path: String, count: Int, _ choose: (String) -> Choice, depth: Int) -> JSONValue {
        guard depth < 32, case .object(var s) = raw else { return .null }
        if let ref = s["$ref"]?.stringValue, let target = document.resolve(ref: ref) {
            return generate(target, path: path, count: count, choose, depth: depth + 1)
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let first = s[key]?.arrayValue?.first { return generate(first, path: path, count: count, choose, depth: depth + 1) }
        }
        if let first = s["enum"]?.arrayValue?.first { return first }
        let type = s["type"]?.stringValue ?? (s["properties"] != nil ? "object" : s["items"] != nil ? "array" : "object")
        switch type {
        case "object":
            var out: [String: JSONValue] = [:]
            let properties = s["properties"]?.objectValue ?? [:]
            for key in properties.keys.sorted() {
                let child = path.isEmpty ? key : path + "." + key
                if let value = build(properties[key]!, path: child, choose, depth: depth + 1) { out[key] = value }
            }
            return .object(out)
        case "array":
            let items = s.removeValue(forKey: "items") ?? .object([:])
            return .array((0..<count).compactMap { build(items, path: "\(path)[\($0)]", choose, depth: depth + 1) })
        case "string":
            let format = s["format"]?.stringValue?.lowercased()
            return .string(format == "date-time" || format == "datetime" ? date : "x")
        case "boolean": return .bool(false)
        case "integer", "number": return .number(0)
        default: return .null
        }
    }
}
