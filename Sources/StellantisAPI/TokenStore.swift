import Foundation
import Synchronization

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
public final class MemoryTokenStore: TokenStore, Sendable {
    private let state: Mutex<(tokens: StoredTokens?, saves: [StoredTokens])>
    /// Every save, in order (tests check what was saved and when).
    public var saves: [StoredTokens] { state.withLock { $0.saves } }

    public init(_ tokens: StoredTokens? = nil) { state = Mutex((tokens, [])) }

    public func load() throws -> StoredTokens? { state.withLock { $0.tokens } }

    public func save(_ tokens: StoredTokens) throws {
        state.withLock {
            $0.tokens = tokens
            $0.saves.append(tokens)
        }
    }
}
