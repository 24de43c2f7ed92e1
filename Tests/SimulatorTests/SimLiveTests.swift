import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import VehicleData
import VigieTestSupport
import XCTest
@testable import Simulator

/// Over real loopback HTTP: notifications POSTed by AsyncHTTPClient to a live receiver,
/// with a failing first answer retried; and the `vigie sim` command's usage errors.
final class SimLiveTests: XCTestCase {
    actor Inbox {
        var bodies: [JSONValue] = []
        var headers: [String] = []
        var answered = 0
        func take(_ body: JSONValue, header: String?) -> Int {
            answered += 1
            if answered == 1 { return 503 }       // the first delivery fails: it must be retried
            bodies.append(body)
            headers.append(header ?? "")
            return 200
        }
    }

    func testNotificationsReachALiveWebhookAndAreRetried() async throws {
        let inbox = Inbox()
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let json = try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
            let status = await inbox.take(json, header: request.headers[HTTPField.Name("X-Secret")!])
            return Response(status: .init(code: status))
        }
        let receiver = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await receiver.test(.live) { client in
            let port = client.port!
            var config = SimConfiguration()
            config.vehicles = 1
            let clock = ManualClock(SimHarness.start)
            let core = SimCore(config: config, start: SimHarness.start)
            let driver = SimDriver(core: core, clock: clock, transport: HTTPNotificationTransport())
            let user = SimPrincipal.user(SimWorld.firstUser, clientId: config.clientId)
            let cb = try await core.createCallback(user, body: .parse("""
            {"callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:\(port)/hook",
             "attributes": [{"type": "Header", "key": "X-Secret", "value": "s3"}]}}}
            """))["callbackId"]!.stringValue!
            let id = await core.world.vehicles[0].profile.id
            _ = try await core.postRemote(user, vehicle: id, callback: cb, body: .parse(#"{"lights": {"on": true}}"#))
            for _ in 0..<60 {
                clock.advance(by: 1)
                await driver.tick()
            }
            let bodies = await inbox.bodies
            XCTAssertEqual(bodies.first?["remoteEvent"]?["eventStatus"]?["status"]?.stringValue, "Accepted",
                           "the refused first message came back first")
            XCTAssertEqual(bodies.last?["remoteEvent"]?["eventStatus"]?["type"]?.stringValue, "Done")
            for b in bodies { Schemas.assertSchema(b, Schemas.b2cWebhook, "Message") }
            let headers = await inbox.headers
            XCTAssertTrue(headers.allSatisfy { $0 == "s3" })
        }
    }

    func testSimCommandRejectsBadFlagsWithExit64() throws {
        // `swift build --build-tests` builds it: its absence fails the test.
        guard FileManager.default.isExecutableFile(atPath: CommandRunner.vigieBinary.path) else {
            return XCTFail("vigie binary not built at \(CommandRunner.vigieBinary.path)")
        }
        let r = try CommandRunner.vigie(["sim", "--speed", "0", "--fail-rate", "2"])
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("--speed"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--fail-rate"), r.stderr)
    }
}
