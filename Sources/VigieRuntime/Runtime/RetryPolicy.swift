import Foundation
import StellantisAPI

/// Which failures of a remote command are worth another attempt (docs/serve.md,
/// "Retries"). Worth it: the API or the vehicle was busy or unreachable and did not act
/// (`VehicleConnectionTimeout`, `TooManyRequestInShortTime`, `TooManyRequestSent`,
/// `SameActionInProgress`, `GeneralError`; HTTP 429 and 5xx; a network error that
/// reconciliation showed was not applied). Never: what another attempt would meet
/// again or must not override (`DoorsOpen`, `MissingRights`, battery or privacy level,
/// wake-ups spent, stolen, `CanceledByDriver`, a 4xx answer…).
enum CommandRetry {
    static let retriableCauses: Set<String> = [
        "VehicleConnectionTimeout", "TooManyRequestInShortTime", "TooManyRequestSent", "SameActionInProgress",
        "GeneralError",
    ]

    static func isRetriable(cause: String?) -> Bool {
        cause.map(retriableCauses.contains) ?? false
    }

    /// How an error of a POST is handled.
    enum Verdict: Equatable {
        /// The API did not act: try again (after `after` seconds, if given by a 429).
        case retry(after: Double?)
        /// Definite refusal: the command fails.
        case reject
        /// It may or may not have been applied: never POST again blindly; reconcile.
        case unknown
    }

    static func verdict(for error: Error) -> Verdict {
        guard let error = error as? StellantisAPIError else { return .unknown }
        switch error {
        case .remoteNotApplied: return .retry(after: nil)
        case .remoteOutcomeUnknown, .deadlineExceeded: return .unknown
        case .transport: return .unknown
        case .authentication: return .retry(after: nil)
        case .api(let failure):
            switch failure.status {
            case 429: return .retry(after: failure.retryAfter)
            case 500, 502, 503, 504: return .unknown
            default: return .reject
            }
        case .invalidResponse: return .unknown
        case .configuration: return .reject
        }
    }
}
