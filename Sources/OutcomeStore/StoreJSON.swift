import Foundation
import VehicleData

/// JSON text with sorted keys and unescaped slashes: the one spelling the store writes,
/// so equal documents are equal strings (used for dedup keys and stored bodies).
package enum StoreJSON {
    package static func string(_ value: JSONValue) -> String {
        String(decoding: data(value), as: UTF8.self)
    }

    package static func data(_ value: JSONValue) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a JSONValue cannot fail: every case maps to valid JSON except a
        // non-finite number, which JSON cannot hold; it is written as null.
        if let data = try? encoder.encode(value) { return data }
        return Data("null".utf8)
    }

    /// Parses JSON text into a value; nil when it is not JSON.
    package static func parse(_ text: String) -> JSONValue? {
        parse(Data(text.utf8))
    }

    package static func parse(_ data: Data) -> JSONValue? {
        try? data.withUnsafeBytes { try JSONValue(parsingUTF8: $0.bindMemory(to: UInt8.self)) }
    }
}
