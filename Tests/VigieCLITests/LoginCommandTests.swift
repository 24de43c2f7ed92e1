import Foundation
import StellantisAPI
import VigieKit
import VigieRuntime
import XCTest

/// `vigie login` / `vigie logout` against the simulator: the whole sign-in, the session's
/// status, the refusals (state, reused, expired or invalid code) and the revocation.
final class LoginCommandTests: XCTestCase {
    func testSignInWritesAPrivateTokenStoreThatTheClientUses() async throws {
        let login = try await startLoginWorld()
        let result = await login.login()
        XCTAssertEqual(result.code, 0, result.err)
        XCTAssertTrue(result.out.contains("Signed in as "), result.out)
        XCTAssertTrue(result.out.contains("valid until "), result.out)
        let url = try XCTUnwrap(LoginTestWorld.authorizationURL(in: result.out))
        for part in ["response_type=code", "client_id=\(login.world.config.clientId)", "code_challenge_method=S256",
                     "code_challenge=", "state=", "scope=openid%20profile", "redirect_uri=http%3A%2F%2Flocalhost%2Fvigie%2Fcallback"] {
            XCTAssertTrue(url.contains(part), "\(part) missing from \(url)")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: login.tokenStore.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertFalse(FileManager.default.fileExists(atPath: login.pendingFile.path), "the pending sign-in is forgotten")
        let tokens = try XCTUnwrap(try FileTokenStore(url: login.tokenStore).load())
        XCTAssertGreaterThan(tokens.expiresAt, Date())

        let config = try VigieConfig.load(path: login.world.configPath, environment: login.world.environment)
        guard case .b2c(let client) = try config.makeAPIClient() else { return XCTFail("a B2C client") }
        let vehicles = try await client.vehicles()
        try await client.client.shutdown()
        XCTAssertFalse(vehicles.isEmpty)
        assertNoSecret(result.out + result.err, tokens: tokens, login: login)
    }

    func testStatusThenLogoutRevokesTheRefreshToken() async throws {
        let login = try await startLoginWorld()
        let none = await login.run(login.options(status: true)) { await Login.login($0, console: $1) }
        XCTAssertEqual(none.code, 1)
        XCTAssertTrue(none.out.contains("No session"), none.out)
        let signedIn = await login.login()
        XCTAssertEqual(signedIn.code, 0, signedIn.err)
        let tokens = try XCTUnwrap(try FileTokenStore(url: login.tokenStore).load())

        let status = await login.run(login.options(status: true)) { await Login.login($0, console: $1) }
        XCTAssertEqual(status.code, 0, status.err)
        XCTAssertTrue(status.out.contains("Access token: valid until"), status.out)
        XCTAssertTrue(status.out.contains("Refresh token: present"), status.out)
        assertNoSecret(status.out + status.err, tokens: tokens, login: login)

        let out = await login.run(login.options()) { await Login.logout($0, console: $1) }
        XCTAssertEqual(out.code, 0, out.err)
        XCTAssertTrue(out.out.contains("the refresh token was revoked"), out.out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: login.tokenStore.path))
        let accepted = await login.world.core.acceptsRefreshToken(tokens.refreshToken)
        XCTAssertFalse(accepted, "the simulator refuses the revoked refresh token")
        let check = await login.world.core.authenticate(bearer: tokens.accessToken, clientId: login.world.config.clientId)
        if case .success = check { XCTFail("the access token is revoked too") }
        assertNoSecret(out.out + out.err, tokens: tokens, login: login)

        let again = await login.run(login.options()) { await Login.logout($0, console: $1) }
        XCTAssertEqual(again.code, 0, "logging out twice is fine")
        XCTAssertTrue(again.out.contains("No session"), again.out)
    }

    func testSigningInAgainRevokesTheReplacedSession() async throws {
        let login = try await startLoginWorld()
        let first = await login.login()
        XCTAssertEqual(first.code, 0, first.err)
        XCTAssertFalse(first.out.contains("previous session"))
        let old = try XCTUnwrap(try FileTokenStore(url: login.tokenStore).load())
        let second = await login.login()
        XCTAssertEqual(second.code, 0, second.err)
        XCTAssertTrue(second.out.contains("The previous session was replaced and its refresh token revoked."), second.out)
        let new = try XCTUnwrap(try FileTokenStore(url: login.tokenStore).load())
        XCTAssertNotEqual(new.refreshToken, old.refreshToken)
        let oldAccepted = await login.world.core.acceptsRefreshToken(old.refreshToken)
        let newAccepted = await login.world.core.acceptsRefreshToken(new.refreshToken)
        XCTAssertFalse(oldAccepted)
        XCTAssertTrue(newAccepted)
    }

    func testLogoutWithAnUnreachableRevocationEndpointWarnsAndStillDeletes() async throws {
        let login = try await startLoginWorld()
        let signedIn = await login.login()
        XCTAssertEqual(signedIn.code, 0, signedIn.err)
        let text = try String(contentsOf: URL(fileURLWithPath: login.world.configPath), encoding: .utf8)
        try login.world.write("vigie.yaml", text.replacingOccurrences(
            of: "  token_store: tokens.json\n", with: "  token_store: tokens.json\n  request_timeout: 1s\n  oauth: {revoke_url: http://127.0.0.1:9/revoke}\n"))
        let out = await login.run(login.options()) { await Login.logout($0, console: $1) }
        XCTAssertEqual(out.code, 0, out.err)
        XCTAssertTrue(out.err.contains("warning: the refresh token could not be revoked"), out.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: login.tokenStore.path))
    }

    func testAWrongStateIsRefusedBeforeAnyExchange() async throws {
        let login = try await startLoginWorld()
        let result = await login.login { location in
            var c = URLComponents(string: location)!
            c.queryItems = c.queryItems?.map { $0.name == "state" ? URLQueryItem(name: "state", value: "forged") : $0 }
            return c.string!
        }
        XCTAssertEqual(result.code, 1)
        XCTAssertTrue(result.err.contains("`state` is not this sign-in's"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: login.tokenStore.path))
    }

    func testStandardInputClosedThenFinishingWithTheRedirectURL() async throws {
        let login = try await startLoginWorld()
        let started = await login.run(login.options()) { await Login.login($0, console: $1) }
        XCTAssertEqual(started.code, 1)
        XCTAssertTrue(started.err.contains("--redirect-url"), started.err)
        let mode = try FileManager.default.attributesOfItem(atPath: login.pendingFile.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "the pending sign-in (state, verifier) is private")
        let location = try await login.approve(try XCTUnwrap(LoginTestWorld.authorizationURL(in: started.out)))
        let finished = await login.run(login.options(redirectURL: location, noInput: true)) { await Login.login($0, console: $1) }
        XCTAssertEqual(finished.code, 0, finished.err)
        XCTAssertNotNil(try FileTokenStore(url: login.tokenStore).load())

        let replay = await login.run(login.options(redirectURL: location, noInput: true)) { await Login.login($0, console: $1) }
        XCTAssertEqual(replay.code, 1)
        XCTAssertTrue(replay.err.contains("no sign-in in progress"), replay.err)
    }

    func testAReusedCodeIsRefusedWithTheAPIsErrorAndNoSecret() async throws {
        let login = try await startLoginWorld()
        let location = try await login.startSignIn()
        let pending = try XCTUnwrap(try OAuthAuthorizationFile(url: login.pendingFile).load())
        let code = try pending.code(fromPasted: location)
        let used = await login.world.core.codeGrant(["grant_type": "authorization_code", "code": code,
                                                     "client_id": login.world.config.clientId, "code_verifier": pending.codeVerifier])
        if case .failure(let error) = used { XCTFail("\(error)") }
        let result = await login.run(login.options(redirectURL: location)) { await Login.login($0, console: $1) }
        XCTAssertEqual(result.code, 1)
        XCTAssertTrue(result.err.contains("HTTP 400 (invalid_grant: unknown or used authorization code)"), result.err)
        XCTAssertFalse((result.out + result.err).contains(code))
        XCTAssertFalse((result.out + result.err).contains(login.world.config.clientSecret))
        XCTAssertFalse(FileManager.default.fileExists(atPath: login.pendingFile.path), "a spent sign-in is forgotten")
    }

    func testExpiredAndInvalidCodesAreRefused() async throws {
        let login = try await startLoginWorld()
        let location = try await login.startSignIn()
        await login.world.core.expireAuthorizationCodes()
        let expired = await login.run(login.options(redirectURL: location)) { await Login.login($0, console: $1) }
        XCTAssertEqual(expired.code, 1)
        XCTAssertTrue(expired.err.contains("expired"), expired.err)

        _ = try await login.startSignIn()
        let invalid = await login.run(login.options(code: "code-not-issued", noInput: true)) { await Login.login($0, console: $1) }
        XCTAssertEqual(invalid.code, 1)
        XCTAssertTrue(invalid.err.contains("HTTP 400"), invalid.err)
        XCTAssertFalse(invalid.err.contains("code-not-issued"), invalid.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: login.tokenStore.path))
    }

    func testUsageMistakesExit64() async throws {
        let login = try await startLoginWorld()
        for options in [login.options(noInput: true), login.options(code: "a", redirectURL: "http://x/?code=a"),
                        login.options(code: "a", status: true), login.options(redirectURL: "not-a-url")] {
            let result = await login.run(options) { await Login.login($0, console: $1) }
            XCTAssertEqual(result.code, 64, "\(result.err)")
            XCTAssertTrue(result.err.hasPrefix("error: "), result.err)
        }
        let missing = await login.run(LoginOptions(configPath: "/nonexistent/vigie.yaml")) { await Login.logout($0, console: $1) }
        XCTAssertEqual(missing.code, 64)
    }

    /// Neither token, the client secret, the code verifier nor a code appears in `text`.
    private func assertNoSecret(_ text: String, tokens: StoredTokens, login: LoginTestWorld,
                                file: StaticString = #filePath, line: UInt = #line) {
        for secret in [tokens.accessToken, tokens.refreshToken, login.world.config.clientSecret] {
            XCTAssertFalse(text.contains(secret), "a secret was printed", file: file, line: line)
        }
        XCTAssertNil(text.range(of: "code-[0-9a-f]{24}", options: .regularExpression), "an authorization code was printed",
                     file: file, line: line)
    }
}
