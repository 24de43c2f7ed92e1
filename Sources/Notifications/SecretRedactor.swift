import Foundation

/// Replaces every occurrence of a channel's secrets in a text by `<redacted>`: applied to
/// every summary and reason a channel returns, so an error that echoes a URL or a header
/// cannot leak a token. Secrets shorter than 4 characters are not searched (they would
/// redact ordinary words); the configuration refuses such secrets anyway.
package struct SecretRedactor: Sendable {
    private let values: [String]

    package init(_ secrets: [ChannelSecret]) {
        var values: [String] = []
        for secret in secrets {
            let value = secret.reveal()
            guard value.count >= 4 else { continue }
            values.append(value)
            // The forms it takes on the wire, too.
            let percent = value.addingPercentEncodingForRedaction()
            if percent != value { values.append(percent) }
            // A secret URL (an incoming webhook): its path is the secret part, and an error
            // page may quote the path alone.
            if let parts = URLComponents(string: value), parts.host != nil, parts.percentEncodedPath.count >= 4 {
                values.append(parts.percentEncodedPath)
                if parts.path != parts.percentEncodedPath { values.append(parts.path) }
            }
        }
        self.values = values.sorted { $0.count > $1.count }
    }

    package func redact(_ text: String) -> String {
        var out = text
        for value in values where out.contains(value) {
            out = out.replacingOccurrences(of: value, with: "<redacted>")
        }
        return out
    }

    package func redact(_ result: DeliveryResult) -> DeliveryResult {
        switch result {
        case .delivered(let summary): return .delivered(summary: redact(summary))
        case .retryable(let reason, let after): return .retryable(reason: redact(reason), retryAfter: after)
        case .failed(let reason): return .failed(reason: redact(reason))
        }
    }
}

extension String {
    func addingPercentEncodingForRedaction() -> String {
        var out = ""
        for byte in utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { out.append(c) }
            else { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2) }
        }
        return out
    }

    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
