import Foundation
import VigieRuntime
import XCTest

/// `api.oauth` in `vigie.yaml`: defaults derived from the brand or the token URL, overrides,
/// and mistakes reported with their place.
final class LoginConfigTests: XCTestCase {
    private func parse(_ api: String) throws -> VigieConfig {
        let text = """
            api:
              client_id: cid
              client_secret: {env: S}
              token_store: tokens.json
            \(api)
            callback:
              public_url: https://vigie.example.com
              webhook_secret: {env: W}
            rules: [rules]
            """
        return try VigieConfig.parse(yaml: text, file: "vigie.yaml", folder: URL(fileURLWithPath: "/tmp"),
                                     environment: ["S": "secret", "W": "webhook-secret-0123456789"])
    }

    private func issues(_ api: String) -> [String] {
        do {
            _ = try parse(api)
            return []
        } catch let error as ConfigError {
            return error.issues.map { "\($0.line):\($0.column): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    func testBrandDefaults() throws {
        let config = try parse("  brand: citroen")
        XCTAssertEqual(config.api.oauth, VigieConfig.OAuth())
        let endpoints = try XCTUnwrap(config.api.oauthEndpoints)
        XCTAssertEqual(endpoints.authorizeURL.absoluteString, "https://idpcvs.citroen.com/am/oauth2/authorize")
        XCTAssertEqual(endpoints.tokenURL.absoluteString, "https://idpcvs.citroen.com/am/oauth2/access_token")
        XCTAssertEqual(endpoints.revokeURL.absoluteString, "https://idpcvs.citroen.com/am/oauth2/token/revoke")
        XCTAssertEqual(config.api.oauth.redirectURI, "http://localhost/vigie/callback")
        XCTAssertEqual(config.api.oauth.scopes, ["openid", "profile"])
    }

    func testTokenURLAndOverrides() throws {
        let derived = try parse("  realm: r/x\n  token_url: http://127.0.0.1:9/oauth2/access_token")
        XCTAssertEqual(derived.api.oauthEndpoints?.authorizeURL.absoluteString, "http://127.0.0.1:9/oauth2/authorize")
        let config = try parse("""
              brand: ds
              oauth:
                authorize_url: https://sso.example/auth
                revoke_url: https://sso.example/revoke
                redirect_uri: mymdssdk://oauth2redirect/fr
                scopes: openid profile email
            """)
        XCTAssertEqual(config.api.oauthEndpoints?.authorizeURL.absoluteString, "https://sso.example/auth")
        XCTAssertEqual(config.api.oauthEndpoints?.revokeURL.absoluteString, "https://sso.example/revoke")
        XCTAssertEqual(config.api.oauthEndpoints?.tokenURL.absoluteString, "https://idpcvs.driveds.com/am/oauth2/access_token")
        XCTAssertEqual(config.api.oauth.redirectURI, "mymdssdk://oauth2redirect/fr")
        XCTAssertEqual(config.api.oauth.scopes, ["openid", "profile", "email"])
    }

    func testMistakesArePlaced() {
        let found = issues("""
              brand: peugeot
              oauth:
                redirect_url: https://x.example/cb
                authorize_url: ftp://x.example
                scopes: []
            """)
        XCTAssertTrue(found.contains { $0.hasPrefix("7:5: unknown key `redirect_url` in api.oauth; did you mean `redirect_uri`?") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("8:20: api.oauth.authorize_url must be an http:// or https:// URL") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("9:13: api.oauth.scopes must name at least one scope") }, "\(found)")
        let fragment = issues("  brand: peugeot\n  oauth: {redirect_uri: 'https://x.example/cb#frag'}")
        XCTAssertTrue(fragment.contains { $0.contains("redirect_uri must be an absolute URI without a fragment") }, "\(fragment)")
        let b2b = issues("  kind: b2b\n  fleet_id: f\n  oauth: {scopes: openid}")
        XCTAssertTrue(b2b.contains { $0.contains("api.oauth is for kind b2c only") }, "\(b2b)")
    }
}
