import Foundation
import StellantisAPI
import StellantisModels
import Synchronization
import XCTest

/// 429 and `Retry-After` (both forms), backoff with full jitter for idempotent requests
/// only, rate-limit headers, and deadlines — over real loopback HTTP.
final class RetryAndDeadlineTests: XCTestCase {
    /// Answers the first `failures` requests with `failure`, then the user.
    static func failingThenOK(_ failures: Int, _ failure: ScriptedResponse) -> (LockedCounter, FaultServer.Handler) {
        let counter = LockedCounter()
        return (counter, { _ in
            counter.next() <= failures ? failure : .json(200, ClientHarness.userJSON, headers: [
                ("X-RateLimit-Limit-1", "1000"), ("X-RateLimit-Remaining-1", "997"),
                ("X-RateLimit-Limit-2", "10"), ("X-RateLimit-Remaining-2", "9"),
            ])
        })
    }

    func testA429WithRetryAfterSecondsIsWaitedThenRetried() async throws {
        let (_, handler) = Self.failingThenOK(1, .json(429, #"{"code":42900,"message":"slow down"}"#, headers: [
            ("Retry-After", "7"), ("X-RateLimit-Reset", "7"), ("X-RateLimit-Limit-2", "10"), ("X-RateLimit-Remaining-2", "0"),
        ]))
        let server = try await FaultServer.start(handler)
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let user = try await b2c.user()
        let limits = b2c.client.rateLimitStatus
        await harness.shutdown()
        XCTAssertEqual(user.email, "ada@example.com")
        XCTAssertEqual(harness.sleeps, [7])
        XCTAssertEqual(server.requests.count, 2)
        XCTAssertEqual(limits.dayLimit, 1000)
        XCTAssertEqual(limits.dayRemaining, 997)
        XCTAssertEqual(limits.burstLimit, 10)
        XCTAssertEqual(limits.burstRemaining, 9)
        XCTAssertEqual(limits.reset, "7", "the 429's reset is kept")
    }

    func testA429WithAnHTTPDateIsWaitedUntilThatDate() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let date = formatter.string(from: now.addingTimeInterval(12))
        let (_, handler) = Self.failingThenOK(1, .json(429, "{}", headers: [("Retry-After", date)]))
        let server = try await FaultServer.start(handler)
        let tokens = StoredTokens(accessToken: "access-old", refreshToken: "refresh-1", expiresAt: now.addingTimeInterval(3600))
        let harness = ClientHarness(server: server, tokens: tokens).register(in: self)
        let (b2c, _) = try harness.b2c(timeout: 30, now: { now })
        _ = try await b2c.user()
        await harness.shutdown()
        XCTAssertEqual(harness.sleeps, [12])
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT",
                                                   now: Date(timeIntervalSince1970: 784_111_770)), 7)
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Sun Nov  6 08:49:37 1994", now: Date(timeIntervalSince1970: 784_111_777)), 0)
        XCTAssertNil(RetryPolicy.parseRetryAfter("soon", now: now))
    }

    func testA429AskingForTooLongAWaitIsReportedWithItsRetryAfter() async throws {
        let (_, handler) = Self.failingThenOK(1, .json(429, #"{"code":42901,"uuid":"u-429","message":"day limit"}"#,
                                                       headers: [("Retry-After", "3600")]))
        let server = try await FaultServer.start(handler)
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let error = await apiError { try await b2c.user() }
        await harness.shutdown()
        guard case .api(let failure)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(failure.kind, .tooManyRequests)
        XCTAssertEqual(failure.retryAfter, 3600)
        XCTAssertEqual(failure.code, 42901)
        XCTAssertEqual(harness.sleeps, [])
    }

    func testServerErrorsOnAGetBackOffWithFullJitterUpToTheCap() async throws {
        let (_, handler) = Self.failingThenOK(3, .json(503, #"{"code":50300}"#))
        let server = try await FaultServer.start(handler)
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        _ = try await b2c.user()
        await harness.shutdown()
        // Jitter takes the upper bound here: base 0.5 s doubling.
        XCTAssertEqual(harness.sleeps, [0.5, 1, 2])
        XCTAssertEqual(server.requests.count, 4)
        let policy = RetryPolicy(baseDelay: 1, maxDelay: 5, random: { $0.upperBound })
        XCTAssertEqual((0 ..< 6).map { policy.backoff(retry: $0) }, [1, 2, 4, 5, 5, 5])
        let low = RetryPolicy(random: { $0.lowerBound })
        XCTAssertEqual(low.backoff(retry: 3), 0, "full jitter starts at zero")
    }

    func testRetriesStopAfterMaxAttempts() async throws {
        let (_, handler) = Self.failingThenOK(100, .json(500, #"{"code":50000,"message":"boom"}"#))
        let server = try await FaultServer.start(handler)
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c(retry: harness.retryPolicy(maxAttempts: 3))
        let error = await apiError { try await b2c.user() }
        await harness.shutdown()
        XCTAssertEqual(error?.status, 500)
        XCTAssertEqual(server.requests.count, 3)
    }

    func testAPostIsNotRetriedAfterAServerError() async throws {
        let (_, handler) = Self.failingThenOK(1, .json(503, #"{"code":50300}"#))
        let server = try await FaultServer.start(handler)
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let error = await apiError { try await b2c.createCallback(ModelFixtures.subscribe) }
        await harness.shutdown()
        XCTAssertEqual(error?.status, 503)
        XCTAssertEqual(server.requests("POST", "/user/callbacks").count, 1)
        XCTAssertEqual(harness.sleeps, [])
    }

    func testAHeldAnswerEndsAtTheDeadline() async throws {
        let gate = Gate()
        let server = try await FaultServer.start { _ in ScriptedResponse(status: 200, body: "{}", holdUntil: gate) }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c(timeout: 0.4)
        let started = Date()
        let error = await apiError { try await b2c.status("v1") }
        let elapsed = Date().timeIntervalSince(started)
        await harness.shutdown()
        XCTAssertEqual(error, .deadlineExceeded)
        XCTAssertGreaterThanOrEqual(elapsed, 0.35)
        XCTAssertLessThan(elapsed, 3, "the deadline bounds the call")
    }

    func testAStoppedServerFailsWithinTheDeadlineWithoutLeakingTheQuery() async throws {
        let server = try await FaultServer.start { _ in .json(200, "{}") }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c(timeout: 1, retry: harness.retryPolicy(maxAttempts: 2))
        await server.stop()
        let started = Date()
        let error = await apiError { try await b2c.user() }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        await harness.shutdown()
        switch error {
        case .transport(let text)?: XCTAssertFalse(text.contains("client-1"), "no query string in errors: \(text)")
        case .deadlineExceeded?: break
        default: XCTFail("\(String(describing: error))")
        }
    }
}

final class LockedCounter: Sendable {
    private let count = Mutex(0)
    /// Increments and returns the new count (1 for the first call).
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
}
