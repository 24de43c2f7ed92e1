import Foundation
import StellantisModels

/// What can go wrong talking to the API. An answer with an error status carries the
/// API's own `code`, `uuid` and `message` (from the error body) as an `APIFailure`.
public enum StellantisAPIError: Error, Sendable, Equatable {
    /// The API answered with an error status.
    case api(APIFailure)
    /// The request (retries included) did not finish before its deadline.
    case deadlineExceeded
    /// The connection failed (refused, reset, TLS…); the description never holds secrets.
    case transport(String)
    /// A 2xx answer whose body is not what the schema says.
    case invalidResponse(String)
    /// No usable credentials (no token, refresh refused, store unreadable).
    case authentication(String)
    /// Reconciliation showed the remote POST was not applied: it is safe to send it again.
    case remoteNotApplied(cause: String)
    /// The remote POST failed in a way that leaves its outcome unknown, and listing the
    /// vehicle's remotes did not settle it (several candidates, or the listing failed).
    case remoteOutcomeUnknown(cause: String)
    /// Bad configuration (missing certificate file, malformed base URL…).
    case configuration(String)

    /// The HTTP status, for `.api`.
    public var status: Int? {
        if case .api(let failure) = self { return failure.status }
        return nil
    }
}

extension StellantisAPIError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .api(let failure): return failure.description
        case .deadlineExceeded: return "the request did not finish before its deadline"
        case .transport(let text): return "connection failed: \(text)"
        case .invalidResponse(let text): return "unexpected answer: \(text)"
        case .authentication(let text): return "authentication failed: \(text)"
        case .remoteNotApplied(let cause): return "the remote was not applied (\(cause)); it may be sent again"
        case .remoteOutcomeUnknown(let cause): return "the remote's outcome is unknown (\(cause))"
        case .configuration(let text): return "configuration: \(text)"
        }
    }
}
