import Foundation
import StellantisModels

/// The three OAuth2 endpoints of a B2C sign-in: authorize (the browser), token
/// (`access_token`: code and refresh grants) and revoke (`token/revoke`). They live side by
/// side under one `…/oauth2/` folder, so the other two derive from the token endpoint.
public struct OAuthAuthorizationEndpoints: Sendable, Equatable {
    public var authorizeURL: URL
    public var tokenURL: URL
    public var revokeURL: URL

    public init(authorizeURL: URL, tokenURL: URL, revokeURL: URL) {
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.revokeURL = revokeURL
    }

    /// The brand's: `https://idpcvs.<brand domain>/am/oauth2/{authorize, access_token, token/revoke}`.
    public init(brand: Brand) {
        self.init(tokenURL: OAuthRefresher.defaultTokenURL(for: brand))
    }

    /// Siblings of `tokenURL`: its last path component (`access_token`) replaced by
    /// `authorize` and `token/revoke`.
    public init(tokenURL: URL) {
        let folder = tokenURL.deletingLastPathComponent()
        self.init(authorizeURL: folder.appendingPathComponent("authorize"), tokenURL: tokenURL,
                  revokeURL: folder.appendingPathComponent("token").appendingPathComponent("revoke"))
    }
}
