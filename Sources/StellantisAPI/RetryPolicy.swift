import Foundation
import VehicleData

/// When and how long to wait before trying an idempotent request again: capped
/// exponential backoff with full jitter (a uniform delay in `0 ... min(cap, base · 2^n)`),
/// and a 429's `Retry-After` honoured as given. The random source and the sleeper are
/// injectable so tests run without real waiting.
public struct RetryPolicy: Sendable {
    /// Tries in all, the first included (1 = never retry).
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// A `Retry-After` longer than this is not waited for: the 429 is reported instead.
    public var maxRetryAfter: Double
    /// Uniform random number in the given range (full jitter).
    public var random: @Sendable (ClosedRange<Double>) -> Double
    /// Waits the given number of seconds.
    public var sleep: @Sendable (Double) async throws -> Void

    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 30, maxRetryAfter: Double = 120,
                random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) },
                sleep: @escaping @Sendable (Double) async throws -> Void = RetryPolicy.taskSleep) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.random = random
        self.sleep = sleep
    }

    /// Never retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    public static let taskSleep: @Sendable (Double) async throws -> Void = { seconds in
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }

    /// The backoff before retry number `retry` (0 for the first retry): full jitter.
    public func backoff(retry: Int) -> Double {
        random(0 ... max(0, Backoff(base: baseDelay, cap: maxDelay).delay(retry: retry)))
    }

    /// Parses `Retry-After`: delta seconds or an HTTP-date (RFC 9110), as seconds from `now`.
    public static func parseRetryAfter(_ value: String, now: Date) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds >= 0 { return seconds }
        guard let date = HTTPDate.parse(text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// HTTP-date parsing (IMF-fixdate, plus the obsolete RFC 850 and asctime forms).
enum HTTPDate {
    private static let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]

    static func parse(_ text: String) -> Date? {
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
