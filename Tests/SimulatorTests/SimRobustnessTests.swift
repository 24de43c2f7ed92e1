import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import VehicleData
import XCTest
@testable import Simulator

/// Requests that used to kill the simulator, and callback bodies checked as the spec says:
/// each is answered 400 with the documented error body, and the simulator keeps serving.
final class SimRobustnessTests: XCTestCase {
    static let b2c = "/connectedcar/v4"
    static let fleet = "/connectedcar/v3/fleets/fleet-1"

    static func hook(_ extra: String = "", attributes: String = "[]", webhookExtra: String = "") -> JSONValue {
        .parse("""
        {\(extra) "callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/hook",
         \(webhookExtra) "attributes": \(attributes)}}}
        """)
    }

    private static func assertRefused(_ r: SimClient.Reply, _ code: Int, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 400, what, file: file, line: line)
        XCTAssertEqual(r.json?["code"]?.doubleValue, Double(code), "\(what): \(r.json.map { "\($0)" } ?? "no body")", file: file, line: line)
        XCTAssertEqual(Set(r.json?.objectValue?.keys.map { $0 } ?? []), ["code", "uuid", "message", "timestamp", "debug"],
                       what, file: file, line: line)
    }

    func testHostileCallbackBodiesAreRefusedWithTheErrorBody() async throws {
        let h = SimHarness(vehicles: 2) { $0.burstLimit = 10_000 }
        let token = await h.core.bootstrapTokens().access
        let app = Application(router: buildSimRouter(core: h.core))
        try await app.test(.router) { raw in
            let c = SimClient(client: raw, token: token)
            let cases: [(String, JSONValue, Bool, Int)] = [
                ("batch size 1e300", Self.hook(webhookExtra: #""batch": {"enabled": true, "size": 1e300},"#), false, 40003),
                ("batch size 1e10", Self.hook(webhookExtra: #""batch": {"enabled": true, "size": 10000000000},"#), false, 40040),
                ("batch size 2.5", Self.hook(webhookExtra: #""batch": {"enabled": true, "size": 2.5},"#), false, 40040),
                ("batch enabled as a string", Self.hook(webhookExtra: #""batch": {"enabled": "yes"},"#), false, 40040),
                ("non-ASCII header name", Self.hook(attributes: #"[{"type": "Header", "key": "X-Sécret", "value": "v"}]"#), false, 40040),
                ("header name with a space", Self.hook(attributes: #"[{"type": "Header", "key": "X A", "value": "v"}]"#), false, 40040),
                ("header value with a newline", Self.hook(attributes: #"[{"type": "Header", "key": "X-A", "value": "a\nb"}]"#), false, 40040),
                ("attribute type", Self.hook(attributes: #"[{"type": "Cookie", "key": "a", "value": "v"}]"#), false, 40040),
                ("attribute value not a string", Self.hook(attributes: #"[{"type": "Body", "key": "a", "value": 3}]"#), false, 40040),
                ("type item", Self.hook(#""type": ["Monitor", "Alarm"],"#), false, 40040),
                ("label not a string", Self.hook(#""type": ["Monitor"], "label": 5,"#), false, 40040),
                ("websocket", .parse(#"{"callback": {"websocket": {"target": "wss://x"}}}"#), false, 40041),
                ("pushnotif", .parse(#"{"callback": {"pushnotif": {"devices": ["d1"]}}}"#), false, 40041),
                ("pushnotif without devices", .parse(#"{"callback": {"pushnotif": {"devices": []}}}"#), false, 40040),
                ("retry count 1e300", Self.hook(#""retryPolicy": {"policy": "Bounded", "retryNumber": 1e300},"#), true, 40003),
                ("retry count 0", Self.hook(#""retryPolicy": {"policy": "Bounded", "retryNumber": 0},"#), true, 40040),
                ("retry delay 1e12", Self.hook(#""retryPolicy": {"policy": "Always", "retryDelay": 1000000000000},"#), true, 40040),
                ("batch window 1", Self.hook(#""batchNotify": {"size": 3, "timeWindow": 1},"#), true, 40040),
                ("remote types", Self.hook(#""remoteTypes": ["Teleport"],"#), true, 40040),
                ("integer beyond 2^53", Self.hook(#""extra": 90071992547409930,"#), false, 40003),
                ("null label (nothing is nullable)", Self.hook(#""label": null, "type": ["Monitor"],"#), false, 40002),
            ]
            for (what, body, b2b, code) in cases {
                let path = b2b ? "\(Self.fleet)/remote/callbacks" : "\(Self.b2c)/user/callbacks"
                let r = try await c.call(.post, path, body: body, b2b: b2b)
                Self.assertRefused(r, code, what)
            }
            // Still alive, and nothing was created.
            let list = try await c.call(.get, "\(Self.b2c)/user/callbacks")
            XCTAssertEqual(list.json?["total"]?.doubleValue, 0)
        }
    }

    func testHostileMonitorBodiesAreRefused() async throws {
        let h = SimHarness(vehicles: 2) { $0.burstLimit = 10_000 }
        let token = await h.core.bootstrapTokens().access
        let app = Application(router: buildSimRouter(core: h.core))
        let vid = await h.vehicleId(0)
        try await app.test(.router) { raw in
            let c = SimClient(client: raw, token: token)
            let cb = try await c.call(.post, "\(Self.b2c)/user/callbacks", body: Self.hook())
            let cbid = try XCTUnwrap(cb.json?["callbackId"]?.stringValue)
            let path = "\(Self.b2c)/user/vehicles/\(vid)/callbacks/\(cbid)/monitors"
            func monitor(_ trigger: String, extra: String = "") -> JSONValue {
                .parse(#"{"label": "m", \#(extra) "triggerParam": {"triggers": [\#(trigger)], "boolExp": "t"}}"#)
            }
            let data = #"{"name": "t", "data": {"data": "vehicle.odometer", "op": "greaterThan", "value": ["1"]}}"#
            let cases: [(String, JSONValue, Int)] = [
                ("refreshEvent 1e300", monitor(data, extra: #""subscribeParam": {"refreshEvent": 1e300},"#), 40003),
                ("refreshEvent 1e12", monitor(data, extra: #""subscribeParam": {"refreshEvent": 1000000000000},"#), 40002),
                ("value not strings", monitor(#"{"name": "t", "data": {"data": "vehicle.odometer", "op": "greaterThan", "value": [1]}}"#), 40017),
                ("extension kind", monitor(data, extra: #""extendedEventParam": ["vehicle.stolen"],"#), 40002),
                ("huge Daily duration", monitor(#"{"name": "t", "time": {"times": [{"start": "PT1H", "recurrence": "Daily", "duration": "P99999999999999999999D"}]}}"#), 40017),
                ("header attribute name", monitor(data, extra: #""attributes": [{"type": "Header", "key": "Ünïcode", "value": "v"}],"#), 40040),
            ]
            for (what, body, code) in cases {
                Self.assertRefused(try await c.call(.post, path, body: body), code, what)
            }
            // 600 nested arrays: refused by the parser's depth cap, not a stack overflow.
            let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
            let status = try await raw.execute(uri: path + "?client_id=vigie-sim-client", method: .post,
                                               headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                               body: ByteBuffer(string: deep)) { r -> (Int, JSONValue?) in
                (Int(r.status.code), try? JSONDecoder().decode(JSONValue.self, from: Data(r.body.readableBytesView)))
            }
            XCTAssertEqual(status.0, 400)
            XCTAssertEqual(status.1?["code"]?.doubleValue, 40001)
            let list = try await c.call(.get, path)
            XCTAssertEqual(list.json?["total"]?.doubleValue, 0)
        }
    }

    func testLargeIntegersAreEchoedExactly() async throws {
        let h = SimHarness(vehicles: 1)
        let token = await h.core.bootstrapTokens().access
        let app = Application(router: buildSimRouter(core: h.core))
        try await app.test(.router) { raw in
            let c = SimClient(client: raw, token: token)
            let r = try await c.call(.post, "\(Self.b2c)/user/callbacks", body: Self.hook(#""extra": 9007199254740992,"#))
            XCTAssertEqual(r.status, 200)
            let cbid = try XCTUnwrap(r.json?["callbackId"]?.stringValue)
            let text = try await raw.execute(uri: "\(Self.b2c)/user/callbacks/\(cbid)?client_id=vigie-sim-client", method: .get,
                                             headers: [.authorization: "Bearer \(token)"]) { String(buffer: $0.body) }
            XCTAssertTrue(text.contains(#""extra":9007199254740992"#), text)
        }
    }

    /// A header value built from a label (`$callbackLabel`) is made header-safe, not a crash.
    func testSubstitutedHeaderValuesAreMadeSafe() {
        XCTAssertEqual(SimOutbox.headerSafe("Flotte été\r\n"), "Flotte %C3%A9t%C3%A9%0D%0A")
        XCTAssertEqual(SimOutbox.headerSafe("a%b\tc"), "a%b\tc")
    }
}
