import Foundation

/// OAuth2 state: authorization codes, access tokens (expiring) and refresh tokens.
/// Lifetimes are in real (wall-clock) time, like rate limits.
public struct SimTokenStore: Sendable {
    public struct Grant: Sendable, Hashable {
        public var user: String
        public var clientId: String
        public var expires: Date
    }

    private var access: [String: Grant] = [:]
    private var refresh: [String: (user: String, clientId: String)] = [:]
    private var codes: [String: (user: String, clientId: String)] = [:]
    private var rng: SimRandom
    public var lifetime: TimeInterval

    init(seed: UInt64, lifetime: TimeInterval) {
        rng = SimRandom(seed: seed, stream: 0xA11CE)
        self.lifetime = lifetime
    }

    /// A new code for `user` (the `/authorize` step, auto-approved).
    mutating func issueCode(user: String, clientId: String) -> String {
        let code = "code-" + rng.hex(bytes: 12)
        codes[code] = (user, clientId)
        return code
    }

    /// Access + refresh tokens for `user`.
    mutating func issueTokens(user: String, clientId: String, now: Date) -> (access: String, refresh: String, expiresIn: Int) {
        let a = "at-" + rng.hex(bytes: 20), r = "rt-" + rng.hex(bytes: 20)
        access[a] = Grant(user: user, clientId: clientId, expires: now.addingTimeInterval(lifetime))
        refresh[r] = (user, clientId)
        return (a, r, Int(lifetime))
    }

    /// `authorization_code` grant: a code is good once.
    mutating func redeem(code: String, clientId: String, now: Date) -> (access: String, refresh: String, expiresIn: Int)? {
        guard let c = codes.removeValue(forKey: code), c.clientId == clientId else { return nil }
        return issueTokens(user: c.user, clientId: clientId, now: now)
    }

    /// `refresh_token` grant: the old refresh token is consumed, a new one issued (rotation).
    mutating func refresh(token: String, clientId: String, now: Date) -> (access: String, refresh: String, expiresIn: Int)? {
        guard let r = refresh[token], r.clientId == clientId else { return nil }
        refresh[token] = nil
        return issueTokens(user: r.user, clientId: clientId, now: now)
    }

    mutating func revoke(_ token: String) {
        access[token] = nil
        refresh[token] = nil
    }

    /// The user behind a bearer token, or the 401 to answer.
    func check(_ token: String, clientId: String, now: Date) -> Result<String, SimAPIError> {
        guard let g = access[token], g.clientId == clientId else { return .failure(.unauthorized("Invalid access token")) }
        guard now < g.expires else { return .failure(.expiredToken()) }
        return .success(g.user)
    }

    /// Makes every current access token expired (tests, `POST /sim/v1/tokens/expire`).
    mutating func expireAll() {
        for k in access.keys { access[k]!.expires = .distantPast }
    }
}
