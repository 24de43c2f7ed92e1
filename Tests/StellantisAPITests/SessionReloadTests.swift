import Foundation
import StellantisAPI
import StellantisModels
import XCTest

/// A new sign-in reaches a running process: the token manager reads the store again
/// before it refreshes, so after the session was revoked a `vigie login` (another process
/// writing the token store) takes effect without a restart, and tokens another process
/// refreshed are taken instead of refreshing a used-up refresh token.
final class SessionReloadTests: XCTestCase {
    func testASignInWrittenByAnotherProcessIsUsedAfterTheSessionWasRevoked() async throws {
        let server = try await FaultServer.start { request in
            if request.path.hasSuffix("/access_token") { return .json(400, #"{"error":"invalid_grant"}"#) }
            return request.headers["authorization"] == "Bearer access-relogged"
                ? .json(200, ClientHarness.userJSON) : .json(401, #"{"code":40100,"message":"token revoked"}"#)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, manager) = try harness.b2c()

        let revoked = await apiError { try await b2c.user() }
        guard case .authentication(let text)? = revoked else { return XCTFail("\(String(describing: revoked))") }
        XCTAssertTrue(text.contains("invalid_grant"), text)
        XCTAssertEqual(server.requests("POST", "/access_token").count, 1)

        // `vigie login` in another process writes a new session to the same store.
        try harness.store.save(StoredTokens(accessToken: "access-relogged", refreshToken: "refresh-relogged",
                                            expiresAt: Date().addingTimeInterval(3600)))
        let email = try await b2c.user().email
        await harness.shutdown()
        XCTAssertEqual(email, "ada@example.com")
        XCTAssertEqual(server.requests("POST", "/access_token").count, 1, "the new session is used as it is")
        let refreshes = await manager.refreshCount
        XCTAssertEqual(refreshes, 0)
    }

    func testTokensAnotherProcessRefreshedAreTakenInsteadOfRefreshingAgain() async throws {
        let server = try await FaultServer.start { request in
            if request.path.hasSuffix("/access_token") { return .json(400, #"{"error":"invalid_grant"}"#) }
            return request.headers["authorization"] == "Bearer access-other"
                ? .json(200, ClientHarness.userJSON) : .json(401, #"{"code":40100,"message":"expired"}"#)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.expiredTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        // Another process (say `vigie apply`) refreshed the shared session: refresh-1 is used up.
        try harness.store.save(StoredTokens(accessToken: "access-other", refreshToken: "refresh-2",
                                            expiresAt: Date().addingTimeInterval(3600)))
        let email = try await b2c.user().email
        await harness.shutdown()
        XCTAssertEqual(email, "ada@example.com")
        XCTAssertEqual(server.requests("POST", "/access_token").count, 0, "no refresh with the used-up token")
    }
}
