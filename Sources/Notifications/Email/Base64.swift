import Foundation

/// Base64 (RFC 4648) of bytes, on one line.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
