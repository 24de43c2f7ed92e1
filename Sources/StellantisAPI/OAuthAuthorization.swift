import Crypto
import Foundation

/// One sign-in of the OAuth2 authorization-code flow with PKCE (RFC 7636, method S256):
/// the URL the user opens, the random `state` that the redirect must bring back, and the
/// `code_verifier` whose hash (`code_challenge`) the URL carries. The verifier and the state
/// are secrets of this sign-in: they never appear in `description`.
public struct OAuthAuthorization: Sendable, Equatable, Codable {
    /// The brand's authorization endpoint (`…/oauth2/authorize`).
    public var authorizeURL: URL
    public var clientID: String
    /// Where the brand's site sends the browser back; the token request repeats it.
    public var redirectURI: String
    public var scopes: [String]
    public var state: String
    public var codeVerifier: String
    /// When the sign-in started (a pending sign-in goes stale, see `isStale`).
    public var createdAt: Date

    public init(authorizeURL: URL, clientID: String, redirectURI: String, scopes: [String], state: String,
                codeVerifier: String, createdAt: Date = Date()) {
        self.authorizeURL = authorizeURL
        self.clientID = clientID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.state = state
        self.codeVerifier = codeVerifier
        self.createdAt = createdAt
    }

    /// A new sign-in with a fresh random state (128 bits) and verifier (256 bits).
    public static func start(authorizeURL: URL, clientID: String, redirectURI: String, scopes: [String],
                             now: Date = Date()) -> OAuthAuthorization {
        OAuthAuthorization(authorizeURL: authorizeURL, clientID: clientID, redirectURI: redirectURI, scopes: scopes,
                           state: randomToken(bytes: 16), codeVerifier: randomToken(bytes: 32), createdAt: now)
    }

    /// `BASE64URL(SHA256(code_verifier))`, without padding.
    public var codeChallenge: String { Self.challenge(for: codeVerifier) }

    public static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// The URL to open: `response_type=code`, `client_id`, `redirect_uri`, `scope`, `state`,
    /// `code_challenge`, `code_challenge_method=S256` (added to the endpoint's own query, if any).
    public var url: URL {
        var components = URLComponents(url: authorizeURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        let fields: [(String, String)] = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", state),
            ("code_challenge", codeChallenge), ("code_challenge_method", "S256"),
        ]
        let query = fields.map { OAuthRefresher.form([$0]) }.joined(separator: "&")
        components.percentEncodedQuery = [components.percentEncodedQuery, query].compactMap { $0 }
            .filter { !$0.isEmpty }.joined(separator: "&")
        return components.url ?? authorizeURL
    }

    /// Whether this pending sign-in is older than `maxAge` seconds (authorization codes
    /// live minutes; a stale sign-in must be started again).
    public func isStale(now: Date = Date(), maxAge: TimeInterval = 3600) -> Bool {
        now.timeIntervalSince(createdAt) > maxAge
    }

    /// The authorization code in what the user pasted: the whole redirect URL (its `state`
    /// must be this sign-in's; an `error` parameter is the site's refusal) or the bare code.
    public func code(fromPasted text: String) throws -> String {
        let pasted = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !pasted.isEmpty else { throw OAuthAuthorizationError.empty }
        guard pasted.contains("?") || pasted.contains("#") || pasted.contains("://") else {
            guard pasted.unicodeScalars.allSatisfy({ (0x21 ... 0x7E).contains($0.value) }) else {
                throw OAuthAuthorizationError.notACode
            }
            return pasted
        }
        let items = Self.parameters(of: pasted)
        if let error = items["error"] {
            throw OAuthAuthorizationError.refused(error: error, description: items["error_description"])
        }
        guard let code = items["code"], !code.isEmpty else { throw OAuthAuthorizationError.noCode }
        guard let returned = items["state"] else { throw OAuthAuthorizationError.missingState }
        guard returned == state else { throw OAuthAuthorizationError.stateMismatch }
        return code
    }

    /// The query (and fragment: some servers answer there) parameters of a URL.
    static func parameters(of text: String) -> [String: String] {
        guard let components = URLComponents(string: text) else { return [:] }
        var out: [String: String] = [:]
        var fragment = URLComponents()
        fragment.percentEncodedQuery = components.percentEncodedFragment
        for item in (fragment.queryItems ?? []) + (components.queryItems ?? []) {
            out[item.name] = item.value ?? ""
        }
        return out
    }

    static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0 ..< count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension OAuthAuthorization: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows the state nor the verifier.
    public var description: String {
        "OAuthAuthorization(authorizeURL: \(authorizeURL), clientID: \(clientID), redirectURI: \(redirectURI), "
            + "state: <redacted>, codeVerifier: <redacted>)"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["authorizeURL": authorizeURL, "clientID": clientID, "redirectURI": redirectURI])
    }
}

/// Why a pasted redirect URL or code is not usable.
public enum OAuthAuthorizationError: Error, Equatable, CustomStringConvertible {
    case empty
    case notACode
    case noCode
    case missingState
    case stateMismatch
    case refused(error: String, description: String?)

    public var description: String {
        switch self {
        case .empty: return "nothing was pasted: expected the redirect URL (or the code)"
        case .notACode: return "this is neither a redirect URL nor an authorization code"
        case .noCode: return "the redirect URL holds no `code` parameter"
        case .missingState: return "the redirect URL holds no `state` parameter: it does not come from this sign-in"
        case .stateMismatch:
            return "the redirect URL's `state` is not this sign-in's: it comes from another (or a forged) sign-in; "
                + "start again with `vigie login`"
        case .refused(let error, let description):
            return "the sign-in was refused: \(error)" + (description.map { " (\($0))" } ?? "")
        }
    }
}
