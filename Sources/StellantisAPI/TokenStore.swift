import Foundation

/// The B2C session's tokens, as stored between runs.
public struct StoredTokens: Sendable, Equatable, Codable {
    public var accessToken: String
    public var refreshToken: String
    /// When the access token stops being valid.
    public var expiresAt: Date

    public init(accessToken: String, refreshToken: String, expiresAt: Date) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
    }
}

extension StoredTokens: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "StoredTokens(accessToken: <redacted>, refreshToken: <redacted>, expiresAt: \(expiresAt))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["expiresAt": expiresAt]) }
}

/// Where the session's tokens live. A refresh saves the new tokens here BEFORE they
/// are used: the OAuth2 server may invalidate the old refresh token at once, so a crash
/// between the refresh and the save would otherwise lose the session.
public protocol TokenStore: Sendable {
    func load() throws -> StoredTokens?
    func save(_ tokens: StoredTokens) throws
}

/// Keeps tokens in memory only (tests, short-lived tools).
public final class MemoryTokenStore: TokenStore, @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: StoredTokens?
    /// Every save, in order (tests check what was saved and when).
    public private(set) var saves: [StoredTokens] = []

    public init(_ tokens: StoredTokens? = nil) { self.tokens = tokens }

    public func load() throws -> StoredTokens? { lock.withLock { tokens } }

    public func save(_ tokens: StoredTokens) throws {
        lock.withLock {
            self.tokens = tokens
            saves.append(tokens)
        }
    }
}
