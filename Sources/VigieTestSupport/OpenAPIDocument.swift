import Foundation
import Yams

/// An OpenAPI 3 YAML file loaded as plain values, with `$ref` resolution inside the
/// document (`#/components/schemas/Name` and any other JSON pointer into the file).
///
/// Scalars follow the YAML 1.2 core schema: only `true`/`false` (any case form) are
/// booleans, `null`/`~`/empty are null, numbers are numbers, everything else (and
/// every quoted scalar) is a string — so enum members such as `None`, `On` or `No`
/// stay strings.
package struct OpenAPIDocument: Sendable {
    package let root: OpenAPIValue

    package init(root: OpenAPIValue) { self.root = root }

    package init(yaml: String) throws {
        guard let node = try Yams.compose(yaml: yaml) else {
            throw OpenAPIError.empty
        }
        self.root = Self.value(of: node)
    }

    package init(contentsOf url: URL) throws {
        try self.init(yaml: String(contentsOf: url, encoding: .utf8))
    }

    /// Loads one of the official files in ../shared/stellantis-api (e.g. `api-b2c.yaml`).
    package static func official(_ name: String) throws -> OpenAPIDocument {
        try OpenAPIDocument(contentsOf: SharedFiles.apiFile(name))
    }

    /// `components.schemas[name]`, or nil.
    package func schema(named name: String) -> OpenAPIValue? {
        root["components"]?["schemas"]?[name]
    }

    /// Resolves a local reference (`#/components/schemas/X`, RFC 6901 escapes honoured).
    package func resolve(ref: String) -> OpenAPIValue? {
        guard ref.hasPrefix("#") else { return nil }
        var current: OpenAPIValue = root
        let pointer = ref.dropFirst()
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: true) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = Int(token), a.indices.contains(i) else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }

    static func value(of node: Node) -> OpenAPIValue {
        switch node {
        case .scalar(let s):
            return scalar(s)
        case .sequence(let seq):
            return .array(seq.map { value(of: $0) })
        case .mapping(let map):
            var out: [String: OpenAPIValue] = [:]
            for (k, v) in map { out[k.scalar?.string ?? "\(k)"] = value(of: v) }
            return .object(out)
        case .alias:
            return .null
        }
    }

    private static func scalar(_ s: Node.Scalar) -> OpenAPIValue {
        let text = s.string
        guard s.style == .plain || s.style == .any else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if text.range(of: #"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"#, options: .regularExpression) != nil,
           let n = Double(text) {
            return .number(n)
        }
        return .string(text)
    }
}

package enum OpenAPIError: Error, CustomStringConvertible {
    case empty
    case noSchema(String)
    package var description: String {
        switch self {
        case .empty: return "the OpenAPI document is empty"
        case .noSchema(let name): return "no schema named \(name) in components.schemas"
        }
    }
}
