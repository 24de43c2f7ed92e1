import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Simulator
import StellantisAPI
import StellantisModels
import XCTest

/// PKCE, redirect URI, code expiry and revocation against the simulator's OAuth2 routes.
final class OAuthAuthorizationSimulatorTests: XCTestCase {
    /// A simulator already listening, with a client that stops at redirects (a browser's
    /// address bar).
    final class Sim: Sendable {
        let simulator: LoopbackSimulator
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
        var core: SimCore { simulator.core }
        var config: SimConfiguration { simulator.config }
        var port: Int { simulator.port }

        init(_ simulator: LoopbackSimulator) { self.simulator = simulator }

        var endpoints: OAuthAuthorizationEndpoints {
            OAuthAuthorizationEndpoints(tokenURL: URL(string: "http://127.0.0.1:\(port)/oauth2/access_token")!)
        }

        func refresher(secret: String? = nil) -> OAuthRefresher {
            OAuthRefresher(tokenURL: endpoints.tokenURL, clientID: config.clientId, clientSecret: secret ?? config.clientSecret,
                           httpClient: http, timeout: 10)
        }

        func start() -> OAuthAuthorization {
            OAuthAuthorization.start(authorizeURL: endpoints.authorizeURL, clientID: config.clientId,
                                     redirectURI: "http://localhost/vigie/callback", scopes: ["openid", "profile"])
        }

        /// Follows the authorization URL as a browser would, up to the redirect: its `Location`.
        func approve(_ authorization: OAuthAuthorization) async throws -> String {
            let response = try await http.execute(HTTPClientRequest(url: authorization.url.absoluteString), timeout: .seconds(10))
            XCTAssertEqual(response.status, .found)
            return try XCTUnwrap(response.headers.first(name: "location"))
        }
    }

    func startSimulator() async throws -> Sim {
        let sim = Sim(await LoopbackSimulator.start(config: SimConfiguration(), logLevel: .critical))
        addTeardownBlock {
            await sim.simulator.stop()
            try? await sim.http.shutdown()
        }
        return sim
    }

    func testCodeExchangeWithVerifierThenRevocation() async throws {
        let sim = try await startSimulator()
        let authorization = sim.start()
        let location = try await sim.approve(authorization)
        XCTAssertTrue(location.hasPrefix("http://localhost/vigie/callback?"))
        let code = try authorization.code(fromPasted: location)
        let token = try await sim.refresher().exchange(code: code, redirectURI: authorization.redirectURI,
                                                       codeVerifier: authorization.codeVerifier)
        let refresh = try XCTUnwrap(token.refreshToken)
        let acceptsBefore = await sim.core.acceptsRefreshToken(refresh)
        XCTAssertTrue(acceptsBefore)
        let bearer = await sim.core.authenticate(bearer: token.accessToken, clientId: sim.config.clientId)
        XCTAssertTrue(bearer.isSuccess)

        try await sim.refresher().revoke(refresh, at: sim.endpoints.revokeURL)
        let acceptsAfter = await sim.core.acceptsRefreshToken(refresh)
        XCTAssertFalse(acceptsAfter)
        do {
            _ = try await sim.refresher().refresh(using: refresh)
            XCTFail("a revoked refresh token must be refused")
        } catch {
            XCTAssertTrue("\(error)".contains("HTTP 400"), "\(error)")
            XCTAssertFalse("\(error)".contains(refresh))
        }
    }

    func testWrongVerifierReusedCodeExpiredCodeAndWrongRedirectAreRefused() async throws {
        let sim = try await startSimulator()
        func refused(_ authorization: OAuthAuthorization, verifier: String? = nil, redirect: String? = nil,
                     before: (() async -> Void)? = nil, expect: String, line: UInt = #line) async throws {
            let code = try authorization.code(fromPasted: try await sim.approve(authorization))
            await before?()
            do {
                _ = try await sim.refresher().exchange(code: code, redirectURI: redirect ?? authorization.redirectURI,
                                                       codeVerifier: verifier ?? authorization.codeVerifier)
                XCTFail("exchange should fail", line: line)
            } catch {
                let text = "\(error)"
                XCTAssertTrue(text.contains("HTTP 400") && text.contains(expect), text, line: line)
                XCTAssertFalse(text.contains(code) || text.contains(authorization.codeVerifier), line: line)
            }
        }
        try await refused(sim.start(), verifier: sim.start().codeVerifier, expect: "code_verifier does not match")
        try await refused(sim.start(), redirect: "http://evil.example/cb", expect: "redirect_uri")
        try await refused(sim.start(), before: { await sim.core.expireAuthorizationCodes() }, expect: "expired")

        let a = sim.start()
        let code = try a.code(fromPasted: try await sim.approve(a))
        _ = try await sim.refresher().exchange(code: code, redirectURI: a.redirectURI, codeVerifier: a.codeVerifier)
        do {
            _ = try await sim.refresher().exchange(code: code, redirectURI: a.redirectURI, codeVerifier: a.codeVerifier)
            XCTFail("a code is good once")
        } catch {
            XCTAssertTrue("\(error)".contains("invalid_grant: unknown or used authorization code"), "\(error)")
        }
    }

    func testWrongClientSecretIsNeverShown() async throws {
        let sim = try await startSimulator()
        let a = sim.start()
        let code = try a.code(fromPasted: try await sim.approve(a))
        var form = ["grant_type": "authorization_code", "code": code, "client_id": sim.config.clientId,
                    "client_secret": "not-the-secret", "code_verifier": a.codeVerifier]
        let wrong = await sim.core.codeGrant(form)
        XCTAssertEqual(wrong.failureStatus, 401)
        form["client_secret"] = sim.config.clientSecret
        let right = await sim.core.codeGrant(form)
        XCTAssertEqual(right.failureStatus, nil, "a refused client does not spend the code")
    }

    func testPlainChallengeMethodIsRefused() async throws {
        let sim = try await startSimulator()
        let a = sim.start()
        let url = a.url.absoluteString.replacingOccurrences(of: "code_challenge_method=S256", with: "code_challenge_method=plain")
        let response = try await sim.http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let location = try XCTUnwrap(response.headers.first(name: "location"))
        XCTAssertThrowsError(try a.code(fromPasted: location)) {
            guard case .refused(let error, _)? = $0 as? OAuthAuthorizationError else { return XCTFail("\($0)") }
            XCTAssertEqual(error, "invalid_request")
        }
    }
}

private extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
    var failureStatus: Int? {
        if case .failure(let error) = self { return (error as? SimAPIError)?.status }
        return nil
    }
}
