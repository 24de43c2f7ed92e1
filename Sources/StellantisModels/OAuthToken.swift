/// An OAuth2 token answer (`/access_token`, grants `authorization_code` and `refresh_token`),
/// in the standard snake_case field names.
public struct OAuthToken: Sendable, Hashable {
    public var accessToken: String
    public var refreshToken: String?
    public var expiresIn: Int?
    public var tokenType: String?
    public var scope: String?

    public init(accessToken: String, refreshToken: String? = nil, expiresIn: Int? = nil, tokenType: String? = "Bearer",
                scope: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
        self.tokenType = tokenType
        self.scope = scope
    }
}

extension OAuthToken: Codable {
    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", refreshToken = "refresh_token", expiresIn = "expires_in"
        case tokenType = "token_type", scope
    }
}

extension OAuthToken: CustomStringConvertible, CustomDebugStringConvertible {
    /// Never prints the tokens themselves.
    public var description: String {
        "OAuthToken(accessToken: <redacted>, refreshToken: \(refreshToken == nil ? "nil" : "<redacted>"), "
            + "expiresIn: \(expiresIn.map(String.init) ?? "nil"))"
    }
    public var debugDescription: String { description }
}
