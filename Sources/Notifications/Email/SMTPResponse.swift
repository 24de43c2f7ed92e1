import Foundation

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its lines, a multi-line reply
/// (`250-…` … `250 …`) gathered into one.
package struct SMTPResponse: Sendable, Hashable {
    package var code: Int
    package var lines: [String]

    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// `250 OK` (the last line with its code).
    package var summary: String { "\(code) \(lines.last ?? "")".trimmingCharacters(in: .whitespaces) }

    /// The EHLO keywords (`AUTH PLAIN LOGIN`, `STARTTLS`), upper-cased, without the greeting line.
    package var extensions: [String] { lines.dropFirst().map { $0.uppercased() } }

    /// The AUTH mechanisms an EHLO reply offers.
    package var authMechanisms: [String] {
        for line in extensions where line.hasPrefix("AUTH ") || line.hasPrefix("AUTH=") {
            return line.dropFirst(5).split(separator: " ").map(String.init)
        }
        return []
    }
}
