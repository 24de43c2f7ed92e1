import Foundation
import StellantisAPI
import Yams

extension VigieConfig {
    /// The `api.oauth:` section (B2C): how `vigie login` signs the user in.
    package struct OAuth: Sendable, Hashable {
        /// The authorization endpoint; nil: the token endpoint's sibling `authorize`
        /// (for a brand, `https://idpcvs.<brand domain>/am/oauth2/authorize`).
        package var authorizeURL: URL?
        /// The revocation endpoint; nil: the token endpoint's sibling `token/revoke`.
        package var revokeURL: URL?
        /// Where the brand's site sends the browser back: the redirect URI registered for
        /// the application on the developer portal (any scheme: an app scheme works too).
        package var redirectURI: String
        package var scopes: [String]

        package static let defaultRedirectURI = "http://localhost/vigie/callback"
        package static let defaultScopes = ["openid", "profile"]

        package init(authorizeURL: URL? = nil, revokeURL: URL? = nil, redirectURI: String = OAuth.defaultRedirectURI,
                    scopes: [String] = OAuth.defaultScopes) {
            self.authorizeURL = authorizeURL
            self.revokeURL = revokeURL
            self.redirectURI = redirectURI
            self.scopes = scopes
        }
    }

    /// `api.oauth: {authorize_url, revoke_url, redirect_uri, scopes}`.
    mutating func readOAuth(_ node: Node, _ r: inout ConfigReader) {
        let keys = ["authorize_url", "revoke_url", "redirect_uri", "scopes"]
        guard let map = r.mapping(node, "api.oauth", allowed: keys) else { return }
        if let n = map["authorize_url"] { api.oauth.authorizeURL = r.url(n, "api.oauth.authorize_url") }
        if let n = map["revoke_url"] { api.oauth.revokeURL = r.url(n, "api.oauth.revoke_url") }
        if let n = map["redirect_uri"], let text = r.string(n, "api.oauth.redirect_uri") {
            if let url = URLComponents(string: text), url.scheme != nil, url.fragment == nil, !text.contains(" ") {
                api.oauth.redirectURI = text
            } else {
                r.fail(n, "api.oauth.redirect_uri must be an absolute URI without a fragment (e.g. https://example.com/callback), not `\(text)`")
            }
        }
        if let n = map["scopes"], let list = r.strings(n, "api.oauth.scopes") {
            let scopes = list.flatMap { $0.split(separator: " ").map(String.init) }
            if scopes.isEmpty { r.fail(n, "api.oauth.scopes must name at least one scope") } else { api.oauth.scopes = scopes }
        }
    }
}

extension VigieConfig.API {
    /// The B2C OAuth2 endpoints: `token_url` (else the brand's), and `oauth.authorize_url` /
    /// `oauth.revoke_url` (else the token endpoint's siblings). Nil without a brand nor a token URL.
    package var oauthEndpoints: OAuthAuthorizationEndpoints? {
        guard let tokenURL = tokenURL ?? brand.map(OAuthRefresher.defaultTokenURL(for:)) else { return nil }
        var endpoints = OAuthAuthorizationEndpoints(tokenURL: tokenURL)
        if let url = oauth.authorizeURL { endpoints.authorizeURL = url }
        if let url = oauth.revokeURL { endpoints.revokeURL = url }
        return endpoints
    }
}
