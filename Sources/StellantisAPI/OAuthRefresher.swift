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

    private func grant(_ fields: [(String, String)]) async throws -> OAuthToken {
        var request = HTTPClientRequest(url: tokenURL.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let basic = Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(basic)")
        request.body = .bytes(ByteBuffer(string: Self.form(fields + [("client_id", clientID)])))
        let answer: HTTPClientResponse
        let body: ByteBuffer
        do {
            answer = try await http.execute(request, deadline: .now() + .nanoseconds(Int64(timeout * 1e9)))
            body = try await answer.body.collect(upTo: 1 << 20)
        } catch {
            throw StellantisAPIError.authentication("token endpoint unreachable: \(StellantisClient.describe(error))")
        }
        let data = Data(body.readableBytesView)
        guard (200 ..< 300).contains(Int(answer.status.code)) else {
            // The OAuth2 error body is `{error, error_description}`: safe to show, it holds no token.
            let reason = (try? JSONDecoder().decode([String: String].self, from: data))?["error"] ?? "-"
            throw StellantisAPIError.authentication("token endpoint answered HTTP \(answer.status.code) (\(reason))")
        }
        do {
            return try JSONDecoder().decode(OAuthToken.self, from: data)
        } catch {
            throw StellantisAPIError.authentication("token endpoint answer is not a token: \(StellantisClient.summary(of: error))")
        }
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
