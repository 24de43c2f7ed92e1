import Foundation
import StellantisModels

/// Exchanges a refresh token for new tokens (the OAuth2 `refresh_token` grant).
public protocol TokenRefresher: Sendable {
    func refresh(using refreshToken: String) async throws -> OAuthToken
}

/// Owns the B2C session's tokens. However many requests need a token at once, at most
/// one refresh is in flight: the others wait for its result. A refreshed pair is saved
/// to the `TokenStore` before any caller receives the new access token.
public actor TokenManager {
    private let store: TokenStore
    private let refresher: TokenRefresher
    private let now: @Sendable () -> Date
    /// An access token this close to expiry (seconds) is refreshed before use.
    private let expiryMargin: Double
    private var tokens: StoredTokens?
    private var inFlight: Task<StoredTokens, Error>?
    /// Bumped by each refresh started, so that a late waiter never installs older tokens.
    private var generation = 0
    private var installedGeneration = 0
    /// Completed refreshes (exposed for tests and diagnostics).
    public private(set) var refreshCount = 0

    public init(store: TokenStore, refresher: TokenRefresher, expiryMargin: Double = 30,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        self.refresher = refresher
        self.expiryMargin = expiryMargin
        self.now = now
        self.tokens = try store.load()
    }

    /// Starts a session from the answer of the authorization-code grant (saved at once).
    public func signIn(with token: OAuthToken) throws {
        guard let refresh = token.refreshToken else {
            throw StellantisAPIError.authentication("the token answer holds no refresh token")
        }
        let stored = StoredTokens(accessToken: token.accessToken, refreshToken: refresh,
                                  expiresAt: now().addingTimeInterval(Double(token.expiresIn ?? 3600)))
        try store.save(stored)
        tokens = stored
    }

    /// A valid access token, refreshing first when the current one is (nearly) expired.
    public func accessToken() async throws -> String {
        if let tokens, tokens.expiresAt.timeIntervalSince(now()) > expiryMargin { return tokens.accessToken }
        return try await refresh().accessToken
    }

    /// The API refused `rejected` (401): refresh, unless another caller already replaced it
    /// (or the store holds another valid session).
    public func tokenRejected(_ rejected: String) async throws -> String {
        if let tokens, tokens.accessToken != rejected, tokens.expiresAt.timeIntervalSince(now()) > expiryMargin {
            return tokens.accessToken
        }
        if let inFlight { return try await install(inFlight, generation: generation).accessToken }
        if let adopted = try adoptStored(), adopted.accessToken != rejected { return adopted.accessToken }
        return try await refreshCurrent().accessToken
    }

    /// Refreshes now (joining a refresh already in flight). The store is read first: when
    /// it holds other tokens than these — a `vigie login` while `vigie serve` runs, or
    /// another process that refreshed the same session — they are taken instead, and used
    /// as they are while still valid, so a new sign-in takes effect without a restart.
    @discardableResult
    public func refresh() async throws -> StoredTokens {
        if let inFlight { return try await install(inFlight, generation: generation) }
        if let adopted = try adoptStored() { return adopted }
        return try await refreshCurrent()
    }

    /// Takes the store's tokens when they differ from these; returns them if still valid.
    private func adoptStored() throws -> StoredTokens? {
        guard let stored = try store.load(), stored != tokens else { return nil }
        tokens = stored
        return stored.expiresAt.timeIntervalSince(now()) > expiryMargin ? stored : nil
    }

    /// Exchanges the current refresh token (no refresh in flight).
    private func refreshCurrent() async throws -> StoredTokens {
        guard let current = tokens else {
            throw StellantisAPIError.authentication("no session: sign in first with `vigie login` (no stored tokens)")
        }
        let task = Task { [refresher, store, now] () throws -> StoredTokens in
            let answer = try await refresher.refresh(using: current.refreshToken)
            let renewed = StoredTokens(accessToken: answer.accessToken,
                                       refreshToken: answer.refreshToken ?? current.refreshToken,
                                       expiresAt: now().addingTimeInterval(Double(answer.expiresIn ?? 3600)))
            try store.save(renewed)  // before anyone uses it
            return renewed
        }
        generation += 1
        inFlight = task
        return try await install(task, generation: generation)
    }

    /// Waits for a refresh; whoever resumes first installs its tokens (each caller may
    /// resume in any order, and must find the new token installed when it does).
    private func install(_ task: Task<StoredTokens, Error>, generation: Int) async throws -> StoredTokens {
        do {
            let renewed = try await task.value
            if installedGeneration < generation {
                installedGeneration = generation
                tokens = renewed
                refreshCount += 1
            }
            if self.generation == generation { inFlight = nil }
            return renewed
        } catch {
            if self.generation == generation { inFlight = nil }
            throw error
        }
    }
}
