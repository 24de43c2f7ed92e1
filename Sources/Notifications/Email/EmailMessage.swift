import Foundation

/// A notification as an RFC 5322 message: `Date`, `From`, `To`, `Subject` (an RFC 2047
/// UTF-8 encoded-word when not plain ASCII), `Message-ID` (the delivery id, so a retry
/// carries the same one), `MIME-Version: 1.0`, `Content-Type: text/plain; charset=utf-8`,
/// `Content-Transfer-Encoding: quoted-printable` (RFC 2045 §6.7, lines of at most 76
/// characters), every line ending in CRLF. `dotStuffed` is the form sent after DATA
/// (RFC 5321 §4.5.2: a line starting with `.` gets another).
package struct EmailMessage: Sendable, Hashable {
    package var from: String
    package var to: [String]
    package var subject: String
    package var body: String
    package var messageID: String
    package var date: Date

    package init(from: String, to: [String], subject: String, body: String, messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
    }

    /// The e-mail for a notification: subject = its heading (else `displayTitle`), body =
    /// its text and, under it, what it is about (vehicle, VIN, rule), and the Message-ID
    /// `<delivery-id@domain of from>`.
    package init(_ message: NotificationMessage, from: String, to: [String]) {
        var body = message.text + "\n"
        var about: [String] = []
        if let vehicle = message.vehicle { about.append("Vehicle: \(vehicle)") }
        if let vin = message.vin { about.append("VIN: \(vin)") }
        if let bundle = message.bundle, let rule = message.rule { about.append("Rule: \(bundle)/\(rule)") }
        if case .alert(let kind, let state) = message.kind { about.append("Alert: \(kind) (\(state.rawValue))") }
        about.append("Priority: \(message.priority.rawValue)")
        body += "\n--\n" + about.joined(separator: "\n") + "\n"
        let domain = from.split(separator: "@").last.map(String.init) ?? "vigie.invalid"
        self.init(from: from, to: to, subject: message.heading ?? message.displayTitle, body: body,
                  messageID: "<\(message.id)@\(domain)>", date: message.at)
    }

    /// The whole message, CRLF line ends, headers then a blank line then the body.
    package var rendered: String {
        var lines = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(Self.encodedWord(subject))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
        ]
        lines += Self.quotedPrintable(body)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `rendered` with every line that starts with `.` given one more (what follows DATA).
    package var dotStuffed: [UInt8] {
        var out: [UInt8] = []
        var atLineStart = true
        for byte in rendered.utf8 {
            if atLineStart, byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        return out
    }

    /// `Mon, 07 Dec 2026 01:25:26 +0000` (RFC 5322 §3.3, in UTC).
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// The subject as it is when printable ASCII of at most 70 characters, else RFC 2047
    /// `=?UTF-8?B?…?=` words of at most 39 bytes of text each (never splitting a character;
    /// lines stay within 78 characters), folded with CRLF + space. Line breaks become spaces.
    static func encodedWord(_ subject: String) -> String {
        let flat = subject.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), flat.count <= 70, !flat.contains("=?") { return flat }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in flat {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Base64.encode(chunk))?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(Base64.encode(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable lines (RFC 2045 §6.7): printable ASCII but `=` as it is, space and
    /// tab as they are except at a line's end, every other byte `=XX`; soft line breaks
    /// (`=` at the end) keep each line within 76 characters. A `.` at a line's start is left
    /// to dot-stuffing.
    static func quotedPrintable(_ text: String) -> [String] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let token: String
                if (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !last) {
                    token = String(UnicodeScalar(byte))
                } else {
                    token = "=" + String(format: "%02X", byte)
                }
                if current.count + token.count > 75 {
                    out.append(current + "=")
                    current = ""
                }
                current += token
            }
            out.append(current)
        }
        if out.last == "" { out.removeLast() }
        return out
    }
}
