import Foundation

/// The rules shared by every HTTP channel to read an answer (DESIGN.md "Notifications"):
/// 2xx delivered; 408, 425, 429 and 5xx retryable (Retry-After honoured, in seconds or as an
/// HTTP date); any other status failed, a configuration error. The reason quotes the start
/// of the provider's body on one line, which is where providers say what is wrong.
package enum ResponseClassifier {
    package static func classify(_ response: ProviderResponse, now: Date = Date(),
                                delivered summary: (ProviderResponse) -> String) -> DeliveryResult {
        switch response.status {
        case 200 ..< 300:
            return .delivered(summary: summary(response))
        case 408, 425, 429, 500 ..< 600:
            return .retryable(reason: describe(response), retryAfter: retryAfter(response, now: now))
        default:
            return .failed(reason: describe(response))
        }
    }

    /// `HTTP 403: {"ok":false,…}` (the body on one line, at most 200 characters).
    package static func describe(_ response: ProviderResponse) -> String {
        let excerpt = excerpt(response.text)
        return excerpt.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(excerpt)"
    }

    package static func excerpt(_ text: String, limit: Int = 200) -> String {
        let flat = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }

    /// Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3); nil when absent or unreadable.
    package static func retryAfter(_ response: ProviderResponse, now: Date) -> Double? {
        guard let raw = response.headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return nil
        }
        if let seconds = Double(raw), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: raw) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
