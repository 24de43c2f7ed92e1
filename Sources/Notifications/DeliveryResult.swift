/// What one delivery attempt through one channel gave.
///
/// - `delivered`: the provider accepted it; the summary is its answer (a message id,
///   `HTTP 200 ok`, the SMTP server's `250` line).
/// - `retryable`: worth trying again later: a time-out, a connection error, 408, 429 (with
///   the provider's Retry-After, seconds, when it gave one) or 5xx.
/// - `failed`: the provider refused it for good (another 4xx, a refused SMTP login or
///   recipient): a configuration error; retrying would not help.
///
/// Summaries and reasons never hold a secret (`SecretRedactor`).
package enum DeliveryResult: Sendable, Hashable {
    case delivered(summary: String)
    case retryable(reason: String, retryAfter: Double?)
    case failed(reason: String)

    /// `delivered`, `retryable` or `failed`.
    package var status: String {
        switch self {
        case .delivered: return "delivered"
        case .retryable: return "retryable"
        case .failed: return "failed"
        }
    }

    /// The summary or the reason.
    package var detail: String {
        switch self {
        case .delivered(let summary): return summary
        case .retryable(let reason, let retryAfter):
            guard let retryAfter else { return reason }
            return "\(reason) (retry after \(Int(retryAfter.rounded(.up))) s)"
        case .failed(let reason): return reason
        }
    }
}
