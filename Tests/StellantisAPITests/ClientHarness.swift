import AsyncHTTPClient
import Foundation
import Logging
import StellantisAPI
import StellantisModels
import Synchronization
import XCTest

/// Builds clients against a `FaultServer` and records the waits the retry policy asks for.
final class ClientHarness: Sendable {
    let server: FaultServer
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let store: MemoryTokenStore
    private let sleepsTaken = Mutex<[Double]>([])
    private let isShutDown = Mutex(false)

    var sleeps: [Double] { sleepsTaken.withLock { $0 } }

    init(server: FaultServer, tokens: StoredTokens? = nil) {
        self.server = server
        self.store = MemoryTokenStore(tokens)
    }

    init(server: FaultServer, store: MemoryTokenStore) {
        self.server = server
        self.store = store
    }

    /// A policy whose waits are recorded, not slept, and whose jitter takes the upper bound.
    func retryPolicy(maxAttempts: Int = 4, maxRetryAfter: Double = 120) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.5, maxDelay: 30, maxRetryAfter: maxRetryAfter,
                    random: { $0.upperBound },
                    sleep: { [weak self] seconds in self?.sleepsTaken.withLock { $0.append(seconds) } })
    }

    func tokenManager(now: @escaping @Sendable () -> Date = { Date() }) throws -> TokenManager {
        let refresher = OAuthRefresher(tokenURL: server.baseURL.appendingPathComponent("access_token"),
                                       clientID: "client-1", clientSecret: "client-secret-XYZ", httpClient: http)
        return try TokenManager(store: store, refresher: refresher, now: now)
    }

    func client(_ authentication: Authentication, timeout: Double = 10, retry: RetryPolicy? = nil,
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "test")) throws -> StellantisClient {
        let configuration = ClientConfiguration(baseURL: server.baseURL, clientID: "client-1",
                                                authentication: authentication, requestTimeout: timeout,
                                                retry: retry ?? retryPolicy(), now: now)
        return try StellantisClient(configuration: configuration, httpClient: http, logger: logger)
    }

    func b2c(timeout: Double = 10, retry: RetryPolicy? = nil, now: @escaping @Sendable () -> Date = { Date() },
             logger: Logger = Logger(label: "test")) throws -> (B2CClient, TokenManager) {
        let manager = try tokenManager(now: now)
        let client = try client(.bearer(manager, brand: .peugeot), timeout: timeout, retry: retry, now: now, logger: logger)
        return (B2CClient(client: client), manager)
    }

    /// Stops the server and the HTTP client (once; later calls do nothing).
    func shutdown() async {
        guard isShutDown.withLock({ done in defer { done = true }; return !done }) else { return }
        await server.stop()
        try? await http.shutdown()
    }

    /// Shuts down when the test ends, even after a failed `try`.
    func register(in test: XCTestCase) -> ClientHarness {
        test.addTeardownBlock { await self.shutdown() }
        return self
    }

    static let validTokens = StoredTokens(accessToken: "access-old", refreshToken: "refresh-1",
                                          expiresAt: Date().addingTimeInterval(3600))
    static let expiredTokens = StoredTokens(accessToken: "access-old", refreshToken: "refresh-1",
                                            expiresAt: Date().addingTimeInterval(-60))
    static let userJSON = #"{"email":"ada@example.com","_links":{"self":{"href":"/user"}}}"#
    static let tokenJSON = #"{"access_token":"access-new","refresh_token":"refresh-2","expires_in":3600,"token_type":"Bearer"}"#
}

/// Asserts `body` throws a `StellantisAPIError` and returns it.
func apiError<T>(_ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> StellantisAPIError? {
    do {
        _ = try await body()
        XCTFail("expected an error", file: file, line: line)
    } catch let error as StellantisAPIError {
        return error
    } catch {
        XCTFail("expected a StellantisAPIError, got \(error)", file: file, line: line)
    }
    return nil
}
