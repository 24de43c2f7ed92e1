import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import VehicleData
import XCTest
@testable import Simulator

/// The B2C API over the router: every answer checked against api-b2c.yaml's response
/// schemas, every notification against the webhook template's `Message`.
final class SimB2CAPITests: XCTestCase {
    static let base = "/connectedcar/v4"

    static func webhookCallback(_ target: String = "http://127.0.0.1:9/hook", batch: Bool = false) -> JSONValue {
        .parse("""
        {"label": "vigie", "type": ["Monitor", "Remote"], "callback": {"webhook": {"name": "vigie", "target": "\(target)",
         \(batch ? "\"batch\": {\"enabled\": true, \"size\": 10}," : "")
         "attributes": [{"type": "Header", "key": "X-Vigie-Secret", "value": "s3cret"},
                        {"type": "Body", "key": "vin", "value": "$vin"}]}}}
        """)
    }

    static let lowBattery = JSONValue.parse("""
    {"label": "low", "subscribeParam": {"refreshEvent": 300}, "extendedEventParam": ["vehicle.status"],
     "triggerParam": {"triggers": [{"name": "low", "data": {"data": "vehicle.energy.electric.level", "op": "lowerThan", "value": ["101"]}}],
                      "boolExp": "low"}}
    """)

    func testASessionFromUserToNotificationsFollowsTheSchemas() async throws {
        let h = SimHarness(vehicles: 6)
        let token = await h.core.bootstrapTokens().access
        let app = Application(router: buildSimRouter(core: h.core))
        let doc = Schemas.b2c
        let electric = await h.core.world.vehicles.firstIndex { $0.profile.hasBattery }!
        let id = await h.vehicleId(electric)
        try await app.test(.router) { raw in
            let c = SimClient(client: raw, token: token)
            var r = try await c.call(.get, "\(Self.base)/user")
            XCTAssertEqual(r.status, 200)
            Schemas.assertResponse(r.json!, doc, path: "/user", method: "get", status: 200)
            XCTAssertNotNil(r.headers[HTTPField.Name("X-RateLimit-Remaining-1")!])
            XCTAssertNotNil(r.headers[HTTPField.Name("X-RateLimit-Limit-2")!])

            r = try await c.call(.get, "\(Self.base)/user/vehicles")
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles", method: "get", status: 200)
            XCTAssertEqual(r.json?["_embedded"]?["vehicles"]?.arrayValue?.count, 5, "the last vehicle is another user's")

            for sub in ["", "/status", "/lastPosition", "/alerts"] {
                r = try await c.call(.get, "\(Self.base)/user/vehicles/\(id)\(sub)")
                XCTAssertEqual(r.status, 200, sub)
                Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}\(sub)", method: "get", status: 200)
            }

            r = try await c.call(.post, "\(Self.base)/user/callbacks", body: Self.webhookCallback())
            XCTAssertEqual(r.status, 200)
            Schemas.assertResponse(r.json!, doc, path: "/user/callbacks", method: "post", status: 200)
            let cbid = try XCTUnwrap(r.json?["callbackId"]?.stringValue)
            r = try await c.call(.get, "\(Self.base)/user/callbacks")
            Schemas.assertResponse(r.json!, doc, path: "/user/callbacks", method: "get", status: 200)
            r = try await c.call(.get, "\(Self.base)/user/callbacks/\(cbid)")
            Schemas.assertResponse(r.json!, doc, path: "/user/callbacks/{cbid}", method: "get", status: 200)

            let monitors = "\(Self.base)/user/vehicles/\(id)/callbacks/\(cbid)/monitors"
            r = try await c.call(.post, monitors, body: Self.lowBattery)
            XCTAssertEqual(r.status, 202)
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}/callbacks/{cbid}/monitors", method: "post", status: 202)
            XCTAssertEqual(r.json?["status"]?.stringValue, "Running")
            let mid = try XCTUnwrap(r.json?["monitorId"]?.stringValue)
            r = try await c.call(.get, monitors)
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}/callbacks/{cbid}/monitors", method: "get", status: 200)
            r = try await c.call(.get, "\(monitors)/\(mid)")
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}/callbacks/{cbid}/monitors/{mid}", method: "get", status: 200)
            XCTAssertEqual(r.json?["monitor"], Self.lowBattery)
            r = try await c.call(.put, "\(monitors)/\(mid)/status", body: .parse(#"{"status": "Paused"}"#))
            XCTAssertEqual(r.status, 202)
            XCTAssertEqual(r.json?["status"]?.stringValue, "Paused")
            r = try await c.call(.put, "\(monitors)/\(mid)/status", body: .parse(#"{"status": "Running"}"#))

            let remotes = "\(Self.base)/user/vehicles/\(id)/callbacks/\(cbid)/remotes"
            r = try await c.call(.post, remotes, body: .parse(#"{"horn": {"state": "Activated"}}"#))
            XCTAssertEqual(r.status, 202)
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}/callbacks/{cbid}/remotes", method: "post", status: 202)
            let rid = try XCTUnwrap(r.json?["remoteActionId"]?.stringValue)
            await h.advance(60)
            r = try await c.call(.get, remotes)
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}/callbacks/{cbid}/remotes", method: "get", status: 200)
            r = try await c.call(.get, "\(remotes)/\(rid)")
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}/callbacks/{cbid}/remotes/{rid}", method: "get", status: 200)
            XCTAssertEqual(r.json?["status"]?.stringValue, "Success")

            r = try await c.call(.delete, "\(monitors)/\(mid)")
            XCTAssertEqual(r.status, 204)
            r = try await c.call(.get, "\(monitors)/\(mid)")
            XCTAssertEqual(r.status, 404)
            Schemas.assertResponse(r.json!, doc, path: "/user/vehicles/{id}/callbacks/{cbid}/monitors/{mid}", method: "get", status: 404)
        }
        let messages = await h.transport.messages
        XCTAssertTrue(messages.contains { $0["type"]?.stringValue == "Monitor" }, "the monitor held at creation: it notified")
        XCTAssertTrue(messages.contains { $0["remoteEvent"]?["eventStatus"]?["type"]?.stringValue == "Done" })
        for m in messages { Schemas.assertSchema(m, Schemas.b2cWebhook, "Message") }
        let vin = await h.core.world.vehicles[electric].vin
        XCTAssertTrue(messages.allSatisfy { $0["attributes"] == .array([.object(["key": .string("vin"), "value": .string(vin)])]) })
        let posts = await h.transport.posts
        XCTAssertTrue(posts.allSatisfy { d in d.headers.contains { $0 == ("X-Vigie-Secret", "s3cret") } })
        XCTAssertEqual(posts.first?.url.absoluteString, "http://127.0.0.1:9/hook")
    }

    func testErrorsCarryTheDocumentedBodyAndStatus() async throws {
        let h = SimHarness(vehicles: 3)
        let token = await h.core.bootstrapTokens().access
        let app = Application(router: buildSimRouter(core: h.core))
        let mine = await h.vehicleId(0), theirs = await h.vehicleId(2)
        try await app.test(.router) { raw in
            let c = SimClient(client: raw, token: token)
            var r = try await c.call(.get, "\(Self.base)/user/vehicles/\(mine)/status", clientId: nil)
            XCTAssertEqual(r.status, 400)
            r = try await c.call(.get, "\(Self.base)/user/vehicles/\(mine)/status", auth: "Bearer nope")
            XCTAssertEqual(r.status, 401)
            XCTAssertEqual(r.json?["code"]?.doubleValue, 40100)
            r = try await c.call(.get, "\(Self.base)/user/vehicles/\(theirs)/status")
            XCTAssertEqual(r.status, 403)
            XCTAssertEqual(r.json?["code"]?.doubleValue, 40300)
            r = try await c.call(.get, "\(Self.base)/user/vehicles/NOPE/status")
            XCTAssertEqual(r.status, 404)
            for reply in [r] {
                let body = try XCTUnwrap(reply.json?.objectValue)
                XCTAssertEqual(Set(body.keys), ["code", "uuid", "message", "timestamp", "debug"])
                let code = Int(body["code"]!.doubleValue!)
                XCTAssertEqual(code / 100, reply.status, "code = status × 100 + two digits")
                Schemas.assertSchema(reply.json!, Schemas.b2c, "xError")
            }
            await h.core.expireTokens()
            r = try await c.call(.get, "\(Self.base)/user")
            XCTAssertEqual(r.status, 401)
            XCTAssertEqual(r.json?["code"]?.doubleValue, 40101)
        }
    }

    func testRateLimitsAnswer429WithRetryAfter() async throws {
        let h = SimHarness(vehicles: 1) { $0.burstLimit = 3 }
        let token = await h.core.bootstrapTokens().access
        let app = Application(router: buildSimRouter(core: h.core))
        try await app.test(.router) { raw in
            let c = SimClient(client: raw, token: token)
            var statuses: [Int] = []
            var last: SimClient.Reply?
            for _ in 0..<5 {
                last = try await c.call(.get, "\(Self.base)/user")
                statuses.append(last!.status)
            }
            XCTAssertEqual(statuses.prefix(3), [200, 200, 200])
            XCTAssertEqual(statuses.last, 429)
            XCTAssertEqual(last?.headers[HTTPField.Name("Retry-After")!], "1")
            XCTAssertEqual(last?.headers[HTTPField.Name("X-RateLimit-Reset")!], "1")
            XCTAssertEqual(last?.headers[HTTPField.Name("X-RateLimit-Remaining-2")!], "0")
            XCTAssertEqual(last?.json?["code"]?.doubleValue, 42901)
        }
    }

    func testOAuthCodeAndRefreshGrants() async throws {
        let h = SimHarness(vehicles: 1) { $0.tokenLifetime = 600 }
        let app = Application(router: buildSimRouter(core: h.core))
        try await app.test(.router) { raw in
            let code = try await raw.execute(uri: "/oauth2/authorize?client_id=vigie-sim-client&redirect_uri=http://localhost/cb&state=xyz",
                                             method: .get) { r -> String in
                XCTAssertEqual(r.status, .found)
                let location = URLComponents(string: r.headers[.location] ?? "")
                XCTAssertEqual(location?.queryItems?.first { $0.name == "state" }?.value, "xyz")
                return location?.queryItems?.first { $0.name == "code" }?.value ?? ""
            }
            func grant(_ form: String) async throws -> (Int, JSONValue?) {
                try await raw.execute(uri: "/oauth2/access_token", method: .post,
                                      headers: [.contentType: "application/x-www-form-urlencoded"],
                                      body: ByteBuffer(string: form)) { r in
                    (Int(r.status.code), try? JSONDecoder().decode(JSONValue.self, from: Data(r.body.readableBytesView)))
                }
            }
            let first = try await grant("grant_type=authorization_code&code=\(code)&client_id=vigie-sim-client&client_secret=vigie-sim-secret")
            XCTAssertEqual(first.0, 200)
            XCTAssertEqual(first.1?["expires_in"]?.doubleValue, 600)
            let reused = try await grant("grant_type=authorization_code&code=\(code)&client_id=vigie-sim-client")
            XCTAssertEqual(reused.0, 400, "a code is good once")
            let refresh = try XCTUnwrap(first.1?["refresh_token"]?.stringValue)
            let second = try await grant("grant_type=refresh_token&refresh_token=\(refresh)&client_id=vigie-sim-client")
            XCTAssertEqual(second.0, 200)
            XCTAssertNotEqual(second.1?["access_token"], first.1?["access_token"])
            let again = try await grant("grant_type=refresh_token&refresh_token=\(refresh)&client_id=vigie-sim-client")
            XCTAssertEqual(again.0, 400, "refresh tokens rotate")
            let c = SimClient(client: raw, token: second.1?["access_token"]?.stringValue ?? "")
            let user = try await c.call(.get, "\(Self.base)/user")
            XCTAssertEqual(user.status, 200)
        }
    }

    func testInjectedFaultsAnswer500AndLostAnswersStillAct() async throws {
        let failing = SimHarness(vehicles: 1) { $0.failRate = 1 }
        let token = await failing.core.bootstrapTokens().access
        try await Application(router: buildSimRouter(core: failing.core)).test(.router) { raw in
            let r = try await SimClient(client: raw, token: token).call(.get, "\(Self.base)/user")
            XCTAssertEqual(r.status, 500)
            XCTAssertEqual(r.json?["code"]?.doubleValue, 50000)
            Schemas.assertSchema(r.json!, Schemas.b2c, "xError")
        }
        let losing = SimHarness(vehicles: 1) { $0.loseRate = 1 }
        let token2 = await losing.core.bootstrapTokens().access
        try await Application(router: buildSimRouter(core: losing.core)).test(.router) { raw in
            let c = SimClient(client: raw, token: token2)
            let r = try await c.call(.post, "\(Self.base)/user/callbacks", body: Self.webhookCallback())
            XCTAssertEqual(r.status, 500, "the answer is lost…")
            let list = try await c.call(.get, "\(Self.base)/user/callbacks")
            XCTAssertEqual(list.json?["total"]?.doubleValue, 1, "…but the callback was created")
        }
    }
}
