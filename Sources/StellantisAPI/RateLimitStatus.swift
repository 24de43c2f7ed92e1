import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1

/// The subscription's limits as the last answer reported them: a sliding 24 h day
/// limit (`X-RateLimit-Limit-1` / `-Remaining-1`) and a 1 s burst limit (`-2`).
public struct RateLimitStatus: Sendable, Equatable {
    public var dayLimit: Int?
    public var dayRemaining: Int?
    public var burstLimit: Int?
    public var burstRemaining: Int?
    /// `X-RateLimit-Reset` of the last 429, as sent.
    public var reset: String?
    /// When these figures were read.
    public var observedAt: Date?

    public init(dayLimit: Int? = nil, dayRemaining: Int? = nil, burstLimit: Int? = nil, burstRemaining: Int? = nil,
                reset: String? = nil, observedAt: Date? = nil) {
        self.dayLimit = dayLimit
        self.dayRemaining = dayRemaining
        self.burstLimit = burstLimit
        self.burstRemaining = burstRemaining
        self.reset = reset
        self.observedAt = observedAt
    }

    /// Reads the headers of one answer; nil when it carries none of them.
    init?(headers: HTTPHeaders, at date: Date) {
        func int(_ name: String) -> Int? { headers.first(name: name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        dayLimit = int("X-RateLimit-Limit-1")
        dayRemaining = int("X-RateLimit-Remaining-1")
        burstLimit = int("X-RateLimit-Limit-2")
        burstRemaining = int("X-RateLimit-Remaining-2")
        reset = headers.first(name: "X-RateLimit-Reset")
        observedAt = date
        if dayLimit == nil, dayRemaining == nil, burstLimit == nil, burstRemaining == nil, reset == nil { return nil }
    }
}

/// Keeps the latest `RateLimitStatus` (answers arrive from concurrent tasks).
final class RateLimitTracker: Sendable {
    private let state = NIOLockedValueBox(RateLimitStatus())

    var current: RateLimitStatus { state.withLockedValue { $0 } }

    func record(_ headers: HTTPHeaders, at date: Date) {
        guard let seen = RateLimitStatus(headers: headers, at: date) else { return }
        state.withLockedValue { status in
            // Keep figures an answer did not repeat.
            status.dayLimit = seen.dayLimit ?? status.dayLimit
            status.dayRemaining = seen.dayRemaining ?? status.dayRemaining
            status.burstLimit = seen.burstLimit ?? status.burstLimit
            status.burstRemaining = seen.burstRemaining ?? status.burstRemaining
            status.reset = seen.reset ?? status.reset
            status.observedAt = date
        }
    }
}
