import Foundation
import VehicleData

/// The simulator's JSON writer and its check of request numbers. Keys are sorted, `/` is
/// not escaped, and integral numbers print as integers (`18`, `4503599627370496`), never
/// in exponent form: request bodies are refused when a number lies beyond ±2^53, so every
/// integer the simulator echoes is the one it was sent.
package enum SimJSON {
    /// 2^53: the largest magnitude below which every integer is exact in a Double.
    package static let exactIntegerLimit = 9_007_199_254_740_992.0

    package static func encode(_ value: JSONValue) -> Data { Data(writer.bytes(value)) }

    /// Compact; integers up to 2^53 inclusive.
    private static let writer = JSONWriter(layout: .compact, integralBelow: exactIntegerLimit.nextUp)

    /// The JSON path of the first number beyond ±2^53 in `value`, or nil.
    package static func firstInexactNumber(_ value: JSONValue, path: String = "$") -> String? {
        switch value {
        case .number(let n): return abs(n) > exactIntegerLimit ? path : nil
        case .array(let a):
            for (i, item) in a.enumerated() {
                if let p = firstInexactNumber(item, path: "\(path)[\(i)]") { return p }
            }
            return nil
        case .object(let o):
            for key in o.keys.sorted() {
                if let p = firstInexactNumber(o[key]!, path: "\(path).\(key)") { return p }
            }
            return nil
        default: return nil
        }
    }

    /// The JSON path of the first `null` in `value`, or nil (no field of the API is nullable).
    package static func firstNull(_ value: JSONValue, path: String = "$") -> String? {
        switch value {
        case .null: return path
        case .array(let a):
            for (i, item) in a.enumerated() {
                if let p = firstNull(item, path: "\(path)[\(i)]") { return p }
            }
            return nil
        case .object(let o):
            for key in o.keys.sorted() {
                if let p = firstNull(o[key]!, path: "\(path).\(key)") { return p }
            }
            return nil
        default: return nil
        }
    }
}
