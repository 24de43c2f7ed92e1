import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import VehicleData
import VigieTestSupport
import XCTest
@testable import Simulator

/// Captures notification POSTs instead of sending them; answers with `status(delivery)`.
actor RecordingTransport: NotificationTransport {
    private(set) var posts: [Outbox.Delivery] = []
    var answer: @Sendable (Int) -> Int? = { _ in 200 }

    func setAnswer(_ f: @escaping @Sendable (Int) -> Int?) { answer = f }

    nonisolated func post(_ delivery: Outbox.Delivery) async -> Int? { await record(delivery) }

    private func record(_ d: Outbox.Delivery) -> Int? {
        posts.append(d)
        return answer(posts.count)
    }

    /// Every message posted so far, flattened (B2C arrays unpacked).
    var messages: [JSONValue] {
        posts.flatMap { d -> [JSONValue] in d.json.arrayValue ?? [d.json] }
    }
}

typealias Outbox = SimOutbox

/// The official OpenAPI files, loaded once, and checks of bodies against them.
enum Schemas {
    static let b2c = try! OpenAPIDocument.official("api-b2c.yaml")
    static let b2b = try! OpenAPIDocument.official("api-b2b.yaml")
    static let b2cWebhook = try! OpenAPIDocument.official("api-b2c-webhook-template.yaml")
    static let b2bWebhook = try! OpenAPIDocument.official("api-b2b-webhook-template-v3.yaml")

    static let b2cPath = SharedFiles.apiFile("api-b2c.yaml").path

    /// The schema of the response `status` (or `default`) of `method path` in `doc`.
    static func responseSchema(_ doc: OpenAPIDocument, path: String, method: String, status: Int) -> OpenAPIValue? {
        guard let op = doc.root["paths"]?[path]?[method], let responses = op["responses"] else { return nil }
        guard var response = responses[String(status)] ?? responses["default"] else { return nil }
        while let ref = response["$ref"]?.stringValue, let target = doc.resolve(ref: ref) { response = target }
        guard let content = response["content"]?.objectValue, let media = content.keys.sorted().first else { return nil }
        return content[media]?["schema"]
    }

    /// Asserts `json` matches the response schema of `method path` for `status`.
    static func assertResponse(_ json: JSONValue, _ doc: OpenAPIDocument, path: String, method: String, status: Int,
                               file: StaticString = #filePath, line: UInt = #line) {
        guard let schema = responseSchema(doc, path: path, method: method, status: status) else {
            XCTFail("no response schema for \(method) \(path) \(status)", file: file, line: line)
            return
        }
        let violations = JSONSchemaValidator(document: doc).validate(json, against: schema)
        XCTAssertEqual(violations.map(\.description), [], "\(method.uppercased()) \(path) → \(status)", file: file, line: line)
    }

    /// Asserts `json` matches `components.schemas[name]` of `doc`.
    static func assertSchema(_ json: JSONValue, _ doc: OpenAPIDocument, _ name: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        do {
            let violations = try JSONSchemaValidator(document: doc).validate(json, schemaNamed: name)
            XCTAssertEqual(violations.map(\.description), [], name, file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}

/// A simulator on a manual clock with a recording transport.
struct SimHarness {
    static let start = SimTimestamp.parse("2026-11-23T06:00:00Z")!
    let core: SimCore
    let clock: ManualClock
    let transport: RecordingTransport
    let driver: SimDriver

    init(vehicles: Int = 4, seed: UInt64 = 1, configure: (inout SimConfiguration) -> Void = { _ in }) {
        var config = SimConfiguration()
        config.vehicles = vehicles
        config.seed = seed
        configure(&config)
        clock = ManualClock(Self.start)
        core = SimCore(config: config, start: Self.start)
        transport = RecordingTransport()
        driver = SimDriver(core: core, clock: clock, transport: transport)
    }

    /// Moves simulated time forward in `step`-second ticks, delivering notifications.
    func advance(_ seconds: TimeInterval, step: TimeInterval = 1) async {
        var left = seconds
        while left > 0 {
            clock.advance(by: min(step, left))
            left -= step
            await driver.tick()
        }
    }

    var user: SimPrincipal { .user(SimWorld.firstUser, clientId: "vigie-sim-client") }
    var fleet: SimPrincipal { .fleet("fleet-1", clientId: "vigie-sim-client") }

    func vehicleId(_ index: Int = 0) async -> String { await core.world.vehicles[index].profile.id }
}

/// HTTP helpers over `app.test(.router)`.
struct SimClient {
    let client: any TestClientProtocol
    var token: String
    var basic = "Basic " + Data("vigie-sim-client:vigie-sim-secret".utf8).base64EncodedString()

    struct Reply {
        var status: Int
        var json: JSONValue?
        var headers: HTTPFields
    }

    func call(_ method: HTTPRequest.Method, _ path: String, body: JSONValue? = nil, b2b: Bool = false,
              clientId: String? = "vigie-sim-client", auth: String? = nil) async throws -> Reply {
        var uri = path
        if let clientId { uri += (path.contains("?") ? "&" : "?") + "client_id=\(clientId)" }
        var headers: HTTPFields = [:]
        headers[.authorization] = auth ?? (b2b ? basic : "Bearer \(token)")
        var buffer: ByteBuffer?
        if let body {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(data: try JSONEncoder().encode(body))
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let json = response.body.readableBytes > 0
                ? try? JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView)) : nil
            return Reply(status: Int(response.status.code), json: json, headers: response.headers)
        }
    }
}

extension JSONValue {
    /// Parses a JSON literal written in a test.
    static func parse(_ text: String) -> JSONValue { try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
}
