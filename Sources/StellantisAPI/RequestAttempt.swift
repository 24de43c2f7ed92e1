import Foundation
import NIOHTTP1
import StellantisModels

/// The raw answer of one HTTP exchange, whatever its status.
struct RawAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
}

enum AttemptOutcome {
    case answer(RawAnswer)
    case failure(StellantisAPIError)
}

enum AttemptDecision {
    case done(APIResponse)
    case retry
}

/// Decides, after each exchange of one request, whether it is finished, failed, or to
/// be tried again — and waits before trying again:
/// - 2xx: done. 401 with a bearer session: one refresh, then again (the server did not act).
/// - 429: again after `Retry-After` (seconds or HTTP-date), or a backoff when absent, if
///   that wait fits the deadline and `maxRetryAfter` (the server did not act).
/// - 500/502/503/504 and transport failures: again with full-jitter backoff, for
///   idempotent requests only; a POST's failure is reported (remotes are reconciled).
/// - Anything else: the typed error.
struct RequestAttempt {
    let request: APIRequest
    let deadline: Date
    let policy: RetryPolicy
    private(set) var retries = 0
    private var refreshedAfter401 = false

    init(request: APIRequest, deadline: Date, policy: RetryPolicy) {
        self.request = request
        self.deadline = deadline
        self.policy = policy
    }

    mutating func next(after outcome: AttemptOutcome, token: String?, client: StellantisClient) async throws -> AttemptDecision {
        switch outcome {
        case .failure(let error):
            if case .deadlineExceeded = error { throw error }
            guard request.idempotent else { throw error }
            try await wait(policy.backoff(retry: retries), orThrow: error)
            return .retry
        case .answer(let answer):
            if (200 ..< 300).contains(answer.status) {
                return .done(APIResponse(status: answer.status, headers: answer.headers, body: answer.body))
            }
            return try await afterError(answer, token: token, client: client)
        }
    }

    private mutating func afterError(_ answer: RawAnswer, token: String?, client: StellantisClient) async throws -> AttemptDecision {
        let now = client.configuration.now()
        let failure = APIFailure(
            status: answer.status, method: request.method.rawValue, path: request.path,
            body: try? JSONDecoder().decode(APIErrorBody.self, from: answer.body),
            retryAfter: answer.headers.first(name: "Retry-After").flatMap { RetryPolicy.parseRetryAfter($0, now: now) })
        let error = StellantisAPIError.api(failure)
        client.logger.info("API error", metadata: ["method": "\(request.method.rawValue)", "path": "\(request.path)",
                                                   "status": "\(answer.status)", "code": "\(failure.code.map(String.init) ?? "-")",
                                                   "uuid": "\(failure.uuid ?? "-")"])
        switch answer.status {
        case 401:
            guard case .bearer(let manager, _) = client.configuration.authentication, let token, !refreshedAfter401
            else { throw error }
            refreshedAfter401 = true
            _ = try await manager.tokenRejected(token)
            return .retry
        case 429:
            let delay = failure.retryAfter ?? policy.backoff(retry: retries)
            guard delay <= policy.maxRetryAfter else { throw error }
            try await wait(delay, orThrow: error)
            return .retry
        case 500, 502, 503, 504:
            guard request.idempotent else { throw error }
            try await wait(policy.backoff(retry: retries), orThrow: error)
            return .retry
        default:
            throw error
        }
    }

    /// Waits `delay` seconds before the next try, or throws `error` when no try is left
    /// or the wait would overrun the deadline.
    private mutating func wait(_ delay: Double, orThrow error: StellantisAPIError) async throws {
        guard retries + 1 < policy.maxAttempts, Date().addingTimeInterval(delay) < deadline else { throw error }
        retries += 1
        try await policy.sleep(delay)
    }
}
