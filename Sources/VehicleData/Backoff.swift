import Foundation

/// Capped exponential backoff: `min(cap, base · 2^retry)` seconds before retry number
/// `retry` (0 for the first). The one schedule of the API client's retries (with full
/// jitter on top), the dispatcher's command retries, the API connector's probes and the
/// engine's retries while the store refuses.
public struct Backoff: Sendable, Hashable {
    public var base: Double
    public var cap: Double

    public init(base: Double, cap: Double) {
        self.base = base
        self.cap = cap
    }

    public func delay(retry: Int) -> Double {
        min(cap, base * pow(2, Double(min(max(retry, 0), 60))))
    }
}
