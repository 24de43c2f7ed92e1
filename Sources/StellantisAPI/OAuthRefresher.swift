import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StellantisModels

/// The OAuth2 token endpoint (`…/access_token`): the `refresh_token` grant (and the
/// `authorization_code` grant that starts a session). The client authenticates with HTTP
/// Basic `client_id:client_secret`; the form carries `client_id` too, for servers that
/// read it there.
public struct OAuthRefresher: TokenRefresher {
    public var tokenURL: URL
    public var clientID: String
    public var clientSecret: String
    let http: HTTPClient
    public var timeout: Double

    public init(tokenURL: URL, clientID: String, clientSecret: String, httpClient: HTTPClient, timeout: Double = 30) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.http = httpClient
        self.timeout = timeout
    }

    /// The brand's token endpoint: `https://idpcvs.<brand domain>/am/oauth2/access_token`.
    public static func defaultTokenURL(for brand: Brand) -> URL {
        URL(string: "https://idpcvs.\(brand.domain)/am/oauth2/access_token")!
    }

    public func refresh(using refreshToken: String) async throws -> OAuthToken {
        try await grant([("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
    }

    /// Exchanges an authorization code (first sign-in).
    public func exchange(code: String, redirectURI: String) async throws -> OAuthToken {
        try await grant([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI)])
    }

    /// Exchanges an authorization code obtained with PKCE: the form adds `code_verifier`.
    public func exchange(code: String, redirectURI: String, codeVerifier: String) async throws -> OAuthToken {
        try await grant([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                         ("code_verifier", codeVerifier)])
    }

    private func grant(_ fields: [(String, String)]) async throws -> OAuthToken {
        let (status, data) = try await post(fields, to: tokenURL, what: "token endpoint")
        guard (200 ..< 300).contains(status) else {
            throw StellantisAPIError.authentication("token endpoint answered HTTP \(status)"
                + Self.oauthError(in: data, hiding: Self.secretValues(of: fields) + [clientSecret]))
        }
        do {
            return try JSONDecoder().decode(OAuthToken.self, from: data)
        } catch {
            throw StellantisAPIError.authentication("token endpoint answer is not a token: \(StellantisClient.summary(of: error))")
        }
    }

    /// Revokes `token` at the revocation endpoint (RFC 7009: `token`, `token_type_hint`).
    /// Throws `StellantisAPIError.authentication` when the endpoint is unreachable or does
    /// not answer 2xx (its OAuth2 error shown, the token never).
    public func revoke(_ token: String, hint: String = "refresh_token", at revokeURL: URL) async throws {
        let fields = [("token", token), ("token_type_hint", hint)]
        let (status, data) = try await post(fields, to: revokeURL, what: "revocation endpoint")
        guard (200 ..< 300).contains(status) else {
            throw StellantisAPIError.authentication("revocation endpoint answered HTTP \(status)"
                + Self.oauthError(in: data, hiding: [token, clientSecret]))
        }
    }

    /// The values of a form's secret fields (code, tokens, verifier).
    static func secretValues(of fields: [(String, String)]) -> [String] {
        fields.filter { ["code", "refresh_token", "code_verifier", "token"].contains($0.0) }.map(\.1)
    }

    /// POSTs a form with the client's credentials (HTTP Basic, and `client_id` in the form);
    /// the status and body, or `StellantisAPIError.authentication` when unreachable.
    func post(_ fields: [(String, String)], to url: URL, what: String) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let basic = Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(basic)")
        request.body = .bytes(ByteBuffer(string: Self.form(fields + [("client_id", clientID)])))
        do {
            let answer = try await http.execute(request, deadline: .now() + .nanoseconds(Int64(timeout * 1e9)))
            let body = try await answer.body.collect(upTo: 1 << 20)
            return (Int(answer.status.code), Data(body.readableBytesView))
        } catch {
            throw StellantisAPIError.authentication("\(what) unreachable: \(StellantisClient.describe(error))")
        }
    }

    /// ` (error: description)` from an OAuth2 error body `{error, error_description}`, with
    /// every value of `secrets` (code, tokens, verifier, client secret) masked should the
    /// server echo one; ` (-)` when the body is not one.
    static func oauthError(in data: Data, hiding secrets: [String]) -> String {
        guard let body = try? JSONDecoder().decode([String: JSONText].self, from: data),
              let error = body["error"]?.text else { return " (-)" }
        var text = error
        if let description = body["error_description"]?.text, !description.isEmpty {
            text = description.hasPrefix(error) ? description : "\(error): \(description)"
        }
        for secret in secrets where secret.count >= 4 { text = text.replacingOccurrences(of: secret, with: "<redacted>") }
        return " (\(String(text.prefix(300))))"
    }

    /// A JSON value kept only when it is a string (error bodies may hold numbers too).
    struct JSONText: Decodable {
        var text: String?
        init(from decoder: Decoder) throws { text = try? decoder.singleValueContainer().decode(String.self) }
    }

    /// `application/x-www-form-urlencoded` text.
    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
    }
}

extension OAuthRefresher: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows the client secret.
    public var description: String { "OAuthRefresher(tokenURL: \(tokenURL), clientID: \(clientID), clientSecret: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["tokenURL": tokenURL, "clientID": clientID]) }
}
