import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Simulator
@testable import StellantisAPI
import StellantisModels
import XCTest

/// The authorization-code flow with PKCE and state, unit by unit and against the simulator.
final class OAuthAuthorizationTests: XCTestCase {
    private func sample(state: String = "st-1") -> OAuthAuthorization {
        OAuthAuthorization(authorizeURL: URL(string: "https://idpcvs.peugeot.com/am/oauth2/authorize")!, clientID: "cid",
                           redirectURI: "https://app.example/cb", scopes: ["openid", "profile"], state: state,
                           codeVerifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    }

    func testChallengeIsRFC7636AppendixB() {
        XCTAssertEqual(sample().codeChallenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    func testURLCarriesEveryParameter() throws {
        let url = sample().url
        let components = try XCTUnwrap(URLComponents(url: url, resolvingAgainstBaseURL: false))
        XCTAssertEqual(components.host, "idpcvs.peugeot.com")
        XCTAssertEqual(components.path, "/am/oauth2/authorize")
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        XCTAssertEqual(items, ["response_type": "code", "client_id": "cid", "redirect_uri": "https://app.example/cb",
                               "scope": "openid profile", "state": "st-1",
                               "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"])
        XCTAssertFalse(url.absoluteString.contains("dBjftJeZ"), "the verifier never leaves the client")
        XCTAssertTrue(url.absoluteString.contains("scope=openid%20profile"))
    }

    func testStartDrawsFreshStateAndVerifier() {
        let url = URL(string: "https://x.example/authorize")!
        let a = OAuthAuthorization.start(authorizeURL: url, clientID: "c", redirectURI: "r://x", scopes: ["openid"])
        let b = OAuthAuthorization.start(authorizeURL: url, clientID: "c", redirectURI: "r://x", scopes: ["openid"])
        XCTAssertNotEqual(a.state, b.state)
        XCTAssertNotEqual(a.codeVerifier, b.codeVerifier)
        XCTAssertEqual(a.codeVerifier.count, 43, "32 random bytes, base64url without padding")
        XCTAssertTrue((43 ... 128).contains(a.codeVerifier.count))
        XCTAssertFalse("\(a)".contains(a.state) || "\(a)".contains(a.codeVerifier))
    }

    func testPastedAnswers() throws {
        let a = sample()
        XCTAssertEqual(try a.code(fromPasted: "https://app.example/cb?code=abc&state=st-1\n"), "abc")
        XCTAssertEqual(try a.code(fromPasted: "  abc-123  "), "abc-123", "a bare code")
        XCTAssertEqual(try a.code(fromPasted: "https://app.example/cb#code=frag&state=st-1"), "frag")
        XCTAssertThrowsError(try a.code(fromPasted: "https://app.example/cb?code=abc&state=other")) {
            XCTAssertEqual($0 as? OAuthAuthorizationError, .stateMismatch)
        }
        XCTAssertThrowsError(try a.code(fromPasted: "https://app.example/cb?code=abc")) {
            XCTAssertEqual($0 as? OAuthAuthorizationError, .missingState)
        }
        XCTAssertThrowsError(try a.code(fromPasted: "https://app.example/cb?state=st-1")) {
            XCTAssertEqual($0 as? OAuthAuthorizationError, .noCode)
        }
        XCTAssertThrowsError(try a.code(fromPasted: "https://app.example/cb?error=access_denied&error_description=no&state=st-1")) {
            XCTAssertEqual($0 as? OAuthAuthorizationError, .refused(error: "access_denied", description: "no"))
        }
        XCTAssertThrowsError(try a.code(fromPasted: "   ")) { XCTAssertEqual($0 as? OAuthAuthorizationError, .empty) }
        XCTAssertThrowsError(try a.code(fromPasted: "two words")) { XCTAssertEqual($0 as? OAuthAuthorizationError, .notACode) }
    }

    func testTheServersErrorIsShownWithEchoedSecretsMasked() {
        let body = Data(#"{"error":"invalid_grant","error_description":"code code-0123abcd is unknown","code":40001}"#.utf8)
        XCTAssertEqual(OAuthRefresher.oauthError(in: body, hiding: ["code-0123abcd"]), " (invalid_grant: code <redacted> is unknown)")
        let prefixed = Data(#"{"error":"invalid_grant","error_description":"invalid_grant: used code"}"#.utf8)
        XCTAssertEqual(OAuthRefresher.oauthError(in: prefixed, hiding: []), " (invalid_grant: used code)")
        XCTAssertEqual(OAuthRefresher.oauthError(in: Data("<html>".utf8), hiding: []), " (-)")
        XCTAssertEqual(OAuthRefresher.secretValues(of: [("grant_type", "authorization_code"), ("code", "c"),
                                                        ("redirect_uri", "r"), ("code_verifier", "v")]), ["c", "v"])
    }

    func testEndpointsDeriveFromTheBrandOrTheTokenURL() {
        let brand = OAuthAuthorizationEndpoints(brand: .opel)
        XCTAssertEqual(brand.authorizeURL.absoluteString, "https://idpcvs.opel.com/am/oauth2/authorize")
        XCTAssertEqual(brand.tokenURL.absoluteString, "https://idpcvs.opel.com/am/oauth2/access_token")
        XCTAssertEqual(brand.revokeURL.absoluteString, "https://idpcvs.opel.com/am/oauth2/token/revoke")
        let local = OAuthAuthorizationEndpoints(tokenURL: URL(string: "http://127.0.0.1:9/oauth2/access_token")!)
        XCTAssertEqual(local.authorizeURL.absoluteString, "http://127.0.0.1:9/oauth2/authorize")
        XCTAssertEqual(local.revokeURL.absoluteString, "http://127.0.0.1:9/oauth2/token/revoke")
    }

    func testPendingFileIsPrivateAndRoundTrips() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("oauth-pending-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = OAuthAuthorizationFile(tokenStore: folder.appendingPathComponent("tokens.json"))
        XCTAssertEqual(file.url.lastPathComponent, "tokens.json.login")
        XCTAssertNil(try file.load())
        var a = sample()
        a.createdAt = Date(timeIntervalSince1970: 1_800_000_000)
        try file.save(a)
        let mode = try FileManager.default.attributesOfItem(atPath: file.url.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try file.load(), a)
        XCTAssertTrue(a.isStale(now: a.createdAt.addingTimeInterval(3601)))
        XCTAssertFalse(a.isStale(now: a.createdAt.addingTimeInterval(60)))
        XCTAssertTrue(file.delete())
        XCTAssertFalse(file.delete())
    }
}
