import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import VehicleData
import XCTest
@testable import Simulator

/// The B2B fleet API over the router: every answer checked against api-b2b.yaml's response
/// schemas, every notification against api-b2b-webhook-template-v3.yaml, every link followed.
final class SimB2BAPITests: XCTestCase {
    static let base = "/connectedcar/v3"
    static let fleet = "/connectedcar/v3/fleets/fleet-1"

    /// A fleet monitor asking for every extension kind the B2B template lists.
    static let monitor = JSONValue.parse("""
    {"label": "fleet", "subscribeParam": {"callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/fleet",
       "attributes": [{"type": "Body", "key": "vin", "value": "$vin"}]}},
      "batchNotify": {"size": 10, "timeWindow": 5}, "retryPolicy": {"policy": "Bounded", "retryNumber": 2, "retryDelay": 5}},
     "extendedEventParam": ["vehicle.doorsState", "vehicle.status", "vehicle.maintenance", "vehicle.position",
                            "vehicle.telemetry", "vehicle.alerts", "vehicle.collisions", "vehicle.trip", "vehicle.stolen"],
     "triggerParam": {"triggers": [{"name": "t", "data": {"data": "environment.air.temp", "op": "greaterThan", "value": ["-100"]}}],
                      "boolExp": "t"}}
    """)

    /// `GET path` (relative to the B2B base) answers 200 and matches the schema of `template`.
    private static func check(_ c: SimClient, _ path: String, _ template: String, status: Int = 200, method: HTTPRequest.Method = .get,
                       body: JSONValue? = nil, file: StaticString = #filePath, line: UInt = #line) async throws -> JSONValue {
        let r = try await c.call(method, Self.base + path, body: body, b2b: true)
        XCTAssertEqual(r.status, status, "\(method) \(path): \(r.json.map { "\($0)" } ?? "")", file: file, line: line)
        guard let json = r.json else {
            XCTFail("\(path): no JSON body", file: file, line: line)
            return .null
        }
        Schemas.assertResponse(json, Schemas.b2b, path: template, method: method.rawValue.lowercased(), status: status,
                               file: file, line: line)
        return json
    }

    func testEveryFleetAnswerAndNotificationFollowsTheB2BFiles() async throws {
        let h = SimHarness(vehicles: 3) { $0.burstLimit = 10_000 }
        let app = Application(router: buildSimRouter(core: h.core))
        let vehicles = await h.core.world.vehicles
        let hrefs = try await app.test(.router) { raw in
            var hrefs: Set<String> = []
            let c = SimClient(client: raw, token: "")
            func collect(_ json: JSONValue) {
                switch json {
                case .object(let o):
                    if let href = o["href"]?.stringValue { hrefs.insert(href) }
                    o.values.forEach(collect)
                case .array(let a): a.forEach(collect)
                default: break
                }
            }
            collect(try await Self.check(c, "/fleets", "/fleets"))
            collect(try await Self.check(c, "/fleets/fleet-1", "/fleets/{fid}"))
            let list = try await Self.check(c, "/fleets/fleet-1/vehicles", "/fleets/{fid}/vehicles")
            collect(list)
            XCTAssertEqual(list["_embedded"]?["vehicles"]?.arrayValue?.count, vehicles.count, "the fleet holds every vehicle")
            collect(try await Self.check(c, "/fleets/fleet-1/status", "/fleets/{fid}/status"))
            collect(try await Self.check(c, "/fleets/fleet-1/maintenances", "/fleets/{fid}/maintenances"))
            collect(try await Self.check(c, "/fleets/fleet-1/alerts", "/fleets/{fid}/alerts"))
            for v in vehicles {
                let vid = v.profile.id, p = "/fleets/fleet-1/vehicles/\(vid)", t = "/fleets/{fid}/vehicles/{vid}"
                collect(try await Self.check(c, p, t))
                let status = try await Self.check(c, "\(p)/status", "\(t)/status")
                collect(status)
                XCTAssertEqual(status["vin"]?.stringValue, v.vin)
                XCTAssertEqual(status["_links"]?["self"]?["href"]?.stringValue, "http://127.0.0.1:8080\(Self.fleet)/vehicles/\(vid)/status")
                let position = try await c.call(.get, Self.base + "\(p)/lastPosition", b2b: true)
                XCTAssertEqual(position.headers[.contentType], "application/vnd.geo+json")
                Schemas.assertResponse(position.json ?? .null, Schemas.b2b, path: "\(t)/lastPosition", method: "get", status: 200)
                XCTAssertEqual(position.json?["properties"]?["vin"]?.stringValue, v.vin)
                let maintenance = try await Self.check(c, "\(p)/maintenance", "\(t)/maintenance")
                collect(maintenance)
                XCTAssertLessThanOrEqual(maintenance["mileageBeforeMaintenance"]?.doubleValue ?? -1, 30_000)
                collect(try await Self.check(c, "\(p)/alerts", "\(t)/alerts"))
                let alarms = try await Self.check(c, "\(p)/alarms", "\(t)/alarms")
                let aid = try XCTUnwrap(alarms["_embedded"]?["alarms"]?.arrayValue?.first?["id"]?.stringValue)
                let alarm = try await Self.check(c, "\(p)/alarms/\(aid)", "\(t)/alarms/{aid}")
                XCTAssertEqual(alarm["status"]?["activation"]?.stringValue, v.reported.alarmActive ? "Active" : "Inactive")
                _ = try await Self.check(c, "\(p)/alarms/nope", "\(t)/alarms/{aid}", status: 404)
            }
            _ = try await Self.check(c, "/fleets/other/vehicles", "/fleets/{fid}/vehicles", status: 403)
            _ = try await Self.check(c, "/fleets/fleet-1/vehicles/NOPE/status", "/fleets/{fid}/vehicles/{vid}/status", status: 404)

            // Monitors, callbacks and remotes, with their answers.
            let ref = try await Self.check(c, "/fleets/fleet-1/monitors", "/fleets/{fid}/monitors", status: 202, method: .post,
                                           body: Self.monitor)
            collect(ref)
            let mid = try XCTUnwrap(ref["monitorId"]?.stringValue)
            collect(try await Self.check(c, "/fleets/fleet-1/monitors", "/fleets/{fid}/monitors"))
            collect(try await Self.check(c, "/fleets/fleet-1/monitors/\(mid)", "/fleets/{fid}/monitors/{mid}"))
            let cbRef = try await Self.check(c, "/fleets/fleet-1/remote/callbacks", "/fleets/{fid}/remote/callbacks", method: .post,
                                             body: .parse(#"{"remoteTypes": ["Horn"], "callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/remote"}}}"#))
            collect(cbRef)
            let cbid = try XCTUnwrap(cbRef["callbackId"]?.stringValue)
            collect(try await Self.check(c, "/fleets/fleet-1/remote/callbacks", "/fleets/{fid}/remote/callbacks"))
            collect(try await Self.check(c, "/fleets/fleet-1/remote/callbacks/\(cbid)", "/fleets/{fid}/remote/callbacks/{cbid}"))
            let vid = vehicles[2].profile.id
            let remotes = "/fleets/fleet-1/vehicles/\(vid)/callbacks/\(cbid)/remotes"
            let remoteTemplate = "/fleets/{fid}/vehicles/{vid}/callbacks/{cbid}/remotes"
            let posted = try await Self.check(c, remotes, remoteTemplate, status: 202, method: .post,
                                              body: .parse(#"{"horn": {"state": "Activated"}}"#))
            collect(posted)
            await h.advance(60)
            collect(try await Self.check(c, remotes, remoteTemplate))
            let rid = try XCTUnwrap(posted["remoteActionId"]?.stringValue)
            collect(try await Self.check(c, "\(remotes)/\(rid)", "\(remoteTemplate)/{rid}"))

            // Every link in every answer leads to a route that answers.
            for href in hrefs.sorted() where !href.contains("{") {
                let path = try XCTUnwrap(URLComponents(string: href)?.path, href)
                let r = try await c.call(.get, path, b2b: true)
                XCTAssertEqual(r.status, 200, "link \(href)")
            }
            return hrefs
        }
        XCTAssertTrue(hrefs.contains { $0.hasSuffix("/maintenance") } && hrefs.contains { $0.hasSuffix("/lastPosition") })

        let posts = await h.transport.posts
        let monitorPosts = posts.filter { $0.url.path == "/fleet" }
        XCTAssertFalse(monitorPosts.isEmpty)
        for p in monitorPosts {
            Schemas.assertSchema(p.json, Schemas.b2bWebhook, "MonitorEvents")
            for event in p.json["events"]?.arrayValue ?? [] {
                let kinds = event["extensions"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
                XCTAssertEqual(kinds, ["vehicle.doorsState", "vehicle.status", "vehicle.maintenance", "vehicle.position", "vehicle.alerts"])
                for e in event["extensions"]?.arrayValue ?? [] {
                    XCTAssertNotNil(e["body"]?.objectValue, "an extension body is one object")
                    XCTAssertNil(e["body"]?["status"]?["_links"], "no HAL links in an extension")
                }
                let status = try XCTUnwrap(event["extensions"]?.arrayValue?.first { $0["type"]?.stringValue == "vehicle.status" }?["body"]?["status"])
                XCTAssertEqual(status["vin"], event["vin"])
                // The template's extension holds the api-b2b.yaml model "without HAL links":
                // checked as a `Status` once given the `_links` the model requires.
                guard case .object(var linked) = status else { return XCTFail("status is not an object") }
                linked["_links"] = .object(["self": .object(["href": .string("http://x/status")])])
                Schemas.assertSchema(.object(linked), Schemas.b2b, "Status")
                let position = try XCTUnwrap(event["extensions"]?.arrayValue?.first { $0["type"]?.stringValue == "vehicle.position" }?["body"]?["position"])
                Schemas.assertSchema(position, Schemas.b2b, "Position")
            }
        }
        let remotePosts = posts.filter { $0.url.path == "/remote" }
        XCTAssertTrue(remotePosts.contains { $0.json["events"]?.arrayValue?.first?["eventStatus"]?["type"]?.stringValue == "Done" })
        for p in remotePosts { Schemas.assertSchema(p.json, Schemas.b2bWebhook, "RemoteEvents") }
    }
}
