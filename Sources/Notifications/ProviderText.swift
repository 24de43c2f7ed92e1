import Foundation

/// Small text helpers the channels share: joining a base URL and a path, form encoding,
/// cutting a text to a provider's limit, and the heading a message shows.
package enum ProviderText {
    /// `https://ntfy.example.com/` + `/message` → `https://ntfy.example.com/message` (a base
    /// path, as behind a reverse proxy, is kept).
    package static func join(_ base: URL, _ path: String) -> String {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text + path
    }

    /// `application/x-www-form-urlencoded` (WHATWG URL standard): unreserved bytes as they
    /// are, space as `+`, everything else percent-encoded as UTF-8.
    package static func form(_ pairs: [(String, String)]) -> [UInt8] {
        Array(pairs.map { formEscape($0.0) + "=" + formEscape($0.1) }.joined(separator: "&").utf8)
    }

    static func formEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                 UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// At most `limit` characters, the last one `…` when cut.
    package static func cut(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A string member of a JSON object answer, or nil.
    static func member(_ key: String, in body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let value = object[key] else { return nil }
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    /// A member of a JSON object nested one level (`result.message_id`), or nil.
    static func member(_ outer: String, _ key: String, in body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let inner = object[outer] as? [String: Any], let value = inner[key] else { return nil }
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }
}

extension NotificationMessage {
    /// The heading shown above the text: the rule's title, or an alert's own; nil for a
    /// plain `notify: "text"` (the provider shows its default: app name, topic).
    package var heading: String? {
        if let title, !title.isEmpty { return title }
        if case .alert = kind { return displayTitle }
        return nil
    }
}
