import Crypto
import Foundation

/// OAuth2 state: authorization codes, access tokens (expiring) and refresh tokens.
/// Lifetimes are in real (wall-clock) time, like rate limits.
package struct SimTokenStore: Sendable {
    package struct Grant: Sendable, Hashable {
        package var user: String
        package var clientId: String
        package var expires: Date
    }

    private var access: [String: Grant] = [:]
    private var refresh: [String: (user: String, clientId: String)] = [:]
    /// An authorization code waiting for its exchange: who approved, for which client, the
    /// PKCE challenge (S256) and the redirect URI of the request, until when it is good.
    struct PendingCode: Sendable {
        var user: String
        var clientId: String
        var challenge: String?
        var redirectURI: String?
        var expires: Date
    }

    private var codes: [String: PendingCode] = [:]
    /// How long an authorization code stays good (ForgeRock AM's default: 120 s).
    package var codeLifetime: TimeInterval = 120
    private var rng: SimRandom
    package var lifetime: TimeInterval

    init(seed: UInt64, lifetime: TimeInterval) {
        rng = SimRandom(seed: seed, stream: 0xA11CE)
        self.lifetime = lifetime
    }

    /// A new code for `user` (the `/authorize` step, auto-approved).
    mutating func issueCode(user: String, clientId: String) -> String {
        issueCode(user: user, clientId: clientId, challenge: nil, redirectURI: nil, now: Date())
    }

    /// A new code bound to a PKCE S256 `challenge` and the request's `redirectURI` (when given).
    mutating func issueCode(user: String, clientId: String, challenge: String?, redirectURI: String?, now: Date) -> String {
        let code = "code-" + rng.hex(bytes: 12)
        codes[code] = PendingCode(user: user, clientId: clientId, challenge: challenge, redirectURI: redirectURI,
                                  expires: now.addingTimeInterval(codeLifetime))
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
        try? redeem(code: code, clientId: clientId, verifier: nil, redirectURI: nil, now: now).get()
    }

    /// `authorization_code` grant with PKCE: a code is good once (any attempt consumes it),
    /// before it expires, for its client; `verifier` must hash (S256) to the code's challenge
    /// and `redirectURI`, when given, must be the authorization request's. The failure is
    /// the OAuth2 `error: description` to answer with 400.
    mutating func redeem(code: String, clientId: String, verifier: String?, redirectURI: String?,
                         now: Date) -> Result<(access: String, refresh: String, expiresIn: Int), SimAPIError> {
        guard let c = codes.removeValue(forKey: code), c.clientId == clientId else {
            return .failure(.invalid("invalid_grant: unknown or used authorization code"))
        }
        guard now < c.expires else { return .failure(.invalid("invalid_grant: the authorization code has expired")) }
        if let challenge = c.challenge, verifier.map(SimPKCE.challenge(for:)) != challenge {
            return .failure(.invalid("invalid_grant: code_verifier does not match the code_challenge"))
        }
        if let redirectURI, let expected = c.redirectURI, redirectURI != expected {
            return .failure(.invalid("invalid_grant: redirect_uri is not the authorization request's"))
        }
        return .success(issueTokens(user: c.user, clientId: clientId, now: now))
    }

    /// Makes every pending authorization code expired (tests).
    mutating func expireCodes() {
        for k in codes.keys { codes[k]!.expires = .distantPast }
    }

    /// `refresh_token` grant: the old refresh token is consumed, a new one issued (rotation).
    mutating func refresh(token: String, clientId: String, now: Date) -> (access: String, refresh: String, expiresIn: Int)? {
        guard let r = refresh[token], r.clientId == clientId else { return nil }
        refresh[token] = nil
        return issueTokens(user: r.user, clientId: clientId, now: now)
    }

    func knowsRefreshToken(_ token: String) -> Bool { refresh[token] != nil }

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

/// PKCE (RFC 7636) S256: `BASE64URL(SHA256(verifier))` without padding.
enum SimPKCE {
    static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
