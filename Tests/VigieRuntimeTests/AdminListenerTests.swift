import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OutcomeStore
import XCTest
@testable import VigieRuntime

/// The admin listener: the read-only endpoints need no token; the control API needs the
/// bearer token (401 without or with a wrong one, 403 when none is configured), and a
/// pause written through it holds a command at once, a resume releases it. The public
/// listener does not serve `/metrics` or `/readyz`.
final class AdminListenerTests: XCTestCase {
    static let token = "admin-token-0123456789abcdef"

    private func call(_ h: ServeHarness, _ runtime: ServeRuntime, _ method: HTTPMethod, _ path: String,
                      token: String? = nil, body: String? = nil) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(runtime.adminPort!)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await h.http.execute(request, timeout: .seconds(10))
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    func testTheControlAPIPausesAndResumesWithItsTokenOnly() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let database = try h.database()
        let safety = SafetyGuard(policy: SafetyPolicy(), database: database)
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule, guard: safety) {
            $0.adminToken = Self.token
        }
        let vin = h.vins[0]

        let (health, _) = try await call(h, runtime, .GET, "/healthz")
        XCTAssertEqual(health, 200)
        let (noToken, _) = try await call(h, runtime, .GET, "/api/v1/holds")
        XCTAssertEqual(noToken, 401)
        let (wrong, _) = try await call(h, runtime, .POST, "/api/v1/pause", token: "nope", body: "{}")
        XCTAssertEqual(wrong, 401)
        XCTAssertEqual(try database.activeHolds().count, 0, "a refused call changes nothing")
        let (unknown, error) = try await call(h, runtime, .POST, "/api/v1/pause", token: Self.token, body: #"{"car": "x"}"#)
        XCTAssertEqual(unknown, 400)
        XCTAssertEqual(error["error"] as? String, #"unknown key "car" (allowed: bundle, reason, vin)"#)

        let (paused, pause) = try await call(h, runtime, .POST, "/api/v1/pause", token: Self.token,
                                             body: #"{"vin": "\#(vin)", "reason": "maintenance"}"#)
        XCTAssertEqual(paused, 201)
        XCTAssertEqual(pause["new"] as? Bool, true)
        let (listed, holds) = try await call(h, runtime, .GET, "/api/v1/holds", token: Self.token)
        XCTAssertEqual(listed, 200)
        let first = try XCTUnwrap((holds["holds"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["vin"] as? String, vin)
        XCTAssertEqual(first["reason"] as? String, "maintenance")

        let posted = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        XCTAssertEqual(posted, 200)
        try await h.waitUntil("the firing is suppressed as paused", step: 0) {
            try h.firings().first?.reason == "paused"
        }

        let (resumed, lifted) = try await call(h, runtime, .POST, "/api/v1/resume", token: Self.token,
                                               body: #"{"vin": "\#(vin)"}"#)
        XCTAssertEqual(resumed, 200)
        XCTAssertEqual((lifted["resumed"] as? [Any])?.count, 1)
        XCTAssertEqual(try database.activeHolds().count, 0)
        let (nothing, _) = try await call(h, runtime, .POST, "/api/v1/resume", token: Self.token, body: "")
        XCTAssertEqual(nothing, 404)

        // The public listener serves the webhook, not the admin endpoints.
        for path in ["/metrics", "/readyz", "/api/v1/holds"] {
            let response = try await h.http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(runtime.boundPort!)\(path)"),
                                                    timeout: .seconds(5))
            XCTAssertEqual(response.status.code, 404, path)
        }
    }

    func testWithoutATokenTheControlAPIIsOff() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        let (status, body) = try await call(h, runtime, .GET, "/api/v1/holds", token: "anything")
        XCTAssertEqual(status, 403)
        XCTAssertEqual(body["error"] as? String, "the control API is off: set admin.token in the configuration")
        let (metrics, _) = try await call(h, runtime, .GET, "/metrics")
        XCTAssertEqual(metrics, 200)
    }
}
