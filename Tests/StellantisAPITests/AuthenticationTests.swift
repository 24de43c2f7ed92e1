import Foundation
import Logging
import StellantisAPI
import StellantisModels
import Synchronization
import VigieTestSupport
import XCTest

/// Bearer sessions over real loopback HTTP: one refresh for many callers, the new
/// tokens saved before use, the realm header, Basic for B2B, secrets out of logs.
final class AuthenticationTests: XCTestCase {
    func testConcurrentCallersWithAnExpiredTokenShareOneRefresh() async throws {
        let savedBeforeUse = LockedFlag(true)
        let store = MemoryTokenStore(ClientHarness.expiredTokens)
        let server = try await FaultServer.start { request in
            if request.path.hasSuffix("/access_token") { return .json(200, ClientHarness.tokenJSON) }
            // The token a request carries must already be in the store.
            if request.headers["authorization"] == "Bearer access-new",
               (try? store.load())?.accessToken != "access-new" { savedBeforeUse.set(false) }
            return request.headers["authorization"] == "Bearer access-new"
                ? .json(200, ClientHarness.userJSON) : .json(401, #"{"code":40100,"message":"bad token"}"#)
        }
        let harness = ClientHarness(server: server, store: store).register(in: self)
        let (b2c, manager) = try harness.b2c()
        let emails = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0 ..< 24 { group.addTask { try await b2c.user().email } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        await harness.shutdown()

        XCTAssertEqual(emails, Array(repeating: "ada@example.com", count: 24))
        let refreshes = server.requests("POST", "/access_token")
        XCTAssertEqual(refreshes.count, 1, "exactly one refresh for 24 callers")
        let refreshCount = await manager.refreshCount
        XCTAssertEqual(refreshCount, 1)
        XCTAssertEqual(harness.store.saves.map(\.refreshToken), ["refresh-2"], "the new refresh token is saved once")
        XCTAssertTrue(savedBeforeUse.value, "a request used a token before it was saved")
        let form = String(decoding: refreshes[0].body, as: UTF8.self)
        XCTAssertTrue(form.contains("grant_type=refresh_token"), form)
        XCTAssertTrue(form.contains("refresh_token=refresh-1"), form)
        XCTAssertEqual(refreshes[0].headers["authorization"],
                       "Basic " + Data("client-1:client-secret-XYZ".utf8).base64EncodedString())
        for request in server.requests("GET", "/user") {
            XCTAssertEqual(request.headers["x-introspect-realm"], "clientsB2CPeugot/OTPPeugeot")
            XCTAssertEqual(request.query["client_id"], "client-1")
        }
    }

    func testA401RefreshesOnceThenRetries() async throws {
        let server = try await FaultServer.start { request in
            if request.path.hasSuffix("/access_token") { return .json(200, ClientHarness.tokenJSON) }
            return request.headers["authorization"] == "Bearer access-new"
                ? .json(200, ClientHarness.userJSON) : .json(401, #"{"code":40100,"message":"token revoked"}"#)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, manager) = try harness.b2c()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0 ..< 10 { group.addTask { _ = try await b2c.user() } }
            try await group.waitForAll()
        }
        await harness.shutdown()
        XCTAssertEqual(server.requests("POST", "/access_token").count, 1)
        let refreshCount = await manager.refreshCount
        XCTAssertEqual(refreshCount, 1)
        XCTAssertEqual(server.requests("GET", "/user").filter { $0.headers["authorization"] == "Bearer access-new" }.count, 10)
    }

    func testARefusedRefreshIsAnAuthenticationErrorWithoutSecrets() async throws {
        let server = try await FaultServer.start { request in
            if request.path.hasSuffix("/access_token") { return .json(400, #"{"error":"invalid_grant"}"#) }
            return .json(200, ClientHarness.userJSON)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.expiredTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let error = await apiError { try await b2c.user() }
        await harness.shutdown()
        guard case .authentication(let text)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(text.contains("invalid_grant"), text)
        XCTAssertFalse(text.contains("refresh-1"))
        XCTAssertEqual(server.requests("GET", "/user").count, 0, "no API call without a valid token")
    }

    func testAStillUnauthorisedRequestFailsAfterOneRefresh() async throws {
        let server = try await FaultServer.start { request in
            if request.path.hasSuffix("/access_token") { return .json(200, ClientHarness.tokenJSON) }
            return .json(401, #"{"code":40100,"uuid":"u-401","message":"no access"}"#)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.validTokens).register(in: self)
        let (b2c, _) = try harness.b2c()
        let error = await apiError { try await b2c.user() }
        await harness.shutdown()
        XCTAssertEqual(error?.status, 401)
        XCTAssertEqual(server.requests("POST", "/access_token").count, 1)
        XCTAssertEqual(server.requests("GET", "/user").count, 2)
    }

    func testFleetClientSendsBasicAuthAndNoRealm() async throws {
        let server = try await FaultServer.start { _ in
            .json(200, #"{"_links":{"self":{"href":"/x"},"first":{"href":"/x"}},"total":0,"totalPage":1,"#
                + #""currentPage":1,"_embedded":{"callbacks":[]}}"#)
        }
        let harness = ClientHarness(server: server).register(in: self)
        let fleet = FleetClient(client: try harness.client(.basic(username: "fleet-user", password: "pa55word")),
                                fleetID: "f 1")
        let callbacks = try await fleet.callbacks()
        await harness.shutdown()
        XCTAssertEqual(callbacks, [])
        let request = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(request.path, "/connectedcar/v4/fleets/f%201/remote/callbacks")
        XCTAssertEqual(request.headers["authorization"], "Basic " + Data("fleet-user:pa55word".utf8).base64EncodedString())
        XCTAssertNil(request.headers["x-introspect-realm"])
        XCTAssertEqual(request.query["pageSize"], "60")
    }

    func testSecretsNeverReachTheLog() async throws {
        let server = try await FaultServer.start { request in
            if request.path.hasSuffix("/access_token") { return .json(200, ClientHarness.tokenJSON) }
            if request.path.hasSuffix("/user") { return .json(200, ClientHarness.userJSON) }
            return .json(404, #"{"code":40499,"message":"nothing"}"#)
        }
        let harness = ClientHarness(server: server, tokens: ClientHarness.expiredTokens).register(in: self)
        let lines = LogCapture()
        let logger = lines.logger(label: "capture")
        let (b2c, manager) = try harness.b2c(logger: logger)
        _ = try await b2c.user()
        _ = await apiError { try await b2c.status("v1") }
        let basic = try harness.client(.basic(username: "u", password: "pa55word"), logger: logger)
        _ = await apiError { try await FleetClient(client: basic, fleetID: "f").status(vehicle: "v") }
        await harness.shutdown()

        XCTAssertFalse(lines.text.isEmpty, "the client logs its requests")
        let refresher = OAuthRefresher(tokenURL: server.baseURL, clientID: "client-1", clientSecret: "client-secret-XYZ",
                                       httpClient: harness.http)
        let described = "\(Authentication.bearer(manager, brand: .opel)) \(Authentication.basic(username: "u", password: "pa55word")) "
            + "\(ClientHarness.validTokens) \(String(reflecting: ClientHarness.validTokens)) \(basic.configuration) "
            + "\(String(reflecting: basic.configuration)) \(refresher) \(String(reflecting: refresher))"
        for secret in ["access-old", "access-new", "refresh-1", "refresh-2", "client-secret-XYZ", "pa55word",
                       Data("u:pa55word".utf8).base64EncodedString()] {
            XCTAssertFalse(lines.text.contains(secret), "\(secret) logged")
            XCTAssertFalse(described.contains(secret), "\(secret) printed")
        }
    }
}

final class LockedFlag: Sendable {
    private let flag: Mutex<Bool>
    init(_ value: Bool) { flag = Mutex(value) }
    var value: Bool { flag.withLock { $0 } }
    func set(_ value: Bool) { flag.withLock { $0 = value } }
}
