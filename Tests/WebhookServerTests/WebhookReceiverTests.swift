import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import VigieTestSupport
import WebhookServer
import XCTest

final class WebhookReceiverTests: XCTestCase {
    private static let secret = "s3cr3t-Ab9fQ2xZ7kLm"

    private func withReceiver(maxBodyBytes: Int = 64 * 1024,
                              _ body: @Sendable (any TestClientProtocol, OutcomeDatabase) async throws -> Void) async throws {
        let store = try OutcomeDatabase.inMemory()
        let configuration = WebhookConfiguration(secret: Self.secret, maxBodyBytes: maxBodyBytes)
        let router = buildRouter(configuration: configuration, committer: InboxCommitter(database: store))
        let app = Application(router: router)
        try await app.test(.router) { client in try await body(client, store) }
    }

    private static func post(_ client: any TestClientProtocol, _ text: String, secret: String? = nil,
                      query: String = "") async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/webhook/\(secret ?? Self.secret)\(query)", method: .post,
                                 headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: text)) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, json)
        }
    }

    func testSampleMessagesFollowTheOfficialSchema() throws {
        let validator = JSONSchemaValidator(document: try OpenAPIDocument.official("api-b2c-webhook-template.yaml"))
        for text in [SampleMessages.monitor(), SampleMessages.remote()] {
            let value = try JSONDecoder().decode(OpenAPIValue.self, from: Data(text.utf8))
            XCTAssertEqual(try validator.validate(value, schemaNamed: "Message"), [])
        }
        let wrong = try JSONDecoder().decode(OpenAPIValue.self, from: Data(SampleMessages.wrongType.utf8))
        XCTAssertFalse(try validator.validate(wrong, schemaNamed: "Message").isEmpty)
    }

    func testASingleMessageIsStoredBeforeThe200() async throws {
        try await withReceiver { client, store in
            let (status, json) = try await Self.post(client, SampleMessages.monitor())
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["stored"] as? Int, 1)
            let rows = try store.inbox()
            XCTAssertEqual(rows.count, 1)
            XCTAssertEqual(rows[0].vin, "VR3UHZKXZLT000001")
            XCTAssertEqual(rows[0].type, "Monitor")
            XCTAssertEqual(rows[0].eventDate, "2026-03-02T22:05:00Z")
            XCTAssertFalse(rows[0].processed)
            XCTAssertTrue(rows[0].dedupKey.hasPrefix("2026-03-02T22:05:00Z/sha256:"), rows[0].dedupKey)
            XCTAssertEqual(rows[0].dedupKey.count, "2026-03-02T22:05:00Z/sha256:".count + 64)
            XCTAssertEqual(StoreJSON.parse(rows[0].body), StoreJSON.parse(SampleMessages.monitor()))
        }
    }

    func testABatchKeepsGoodItemsAndDeadLettersMalformedOnes() async throws {
        try await withReceiver { client, store in
            let batch = "[\(SampleMessages.monitor()), \(SampleMessages.wrongType), \"text\", "
                + "\(SampleMessages.remoteWithoutId), \(SampleMessages.remote())]"
            let (status, json) = try await Self.post(client, batch)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["stored"] as? Int, 2)
            XCTAssertEqual(json["deadLetters"] as? Int, 3)
            XCTAssertEqual(try store.inbox().map(\.type), ["Monitor", "Remote"])
            let errors = try store.deadLetters().map(\.error)
            XCTAssertEqual(errors.count, 3)
            XCTAssertTrue(errors[0].hasPrefix("item 1: type"), errors[0])
            XCTAssertEqual(errors[1], "item 2: a message must be a JSON object, not a string")
            XCTAssertEqual(errors[2], "item 3: remoteEvent.remoteActionId is missing")
        }
    }

    func testRetriesAreRecognisedWhateverTheirSpelling() async throws {
        try await withReceiver { client, store in
            _ = try await Self.post(client, SampleMessages.monitor())
            // The same message again, keys reordered and compacted, inside a batch.
            let value = StoreJSON.parse(SampleMessages.monitor())!
            let respelled = "[" + StoreJSON.string(value) + "," + SampleMessages.monitor(level: "17") + "]"
            let (status, json) = try await Self.post(client, respelled)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["duplicates"] as? Int, 1)
            XCTAssertEqual(json["stored"] as? Int, 1)
            XCTAssertEqual(try store.inbox().count, 2)
        }
    }

    func testWrongSecretIs401AndStoresNothing() async throws {
        try await withReceiver { client, store in
            for wrong in ["nope", String(Self.secret.dropLast()), Self.secret + "x", Self.secret.uppercased()] {
                let (status, _) = try await Self.post(client, SampleMessages.monitor(), secret: wrong)
                XCTAssertEqual(status, .unauthorized, wrong)
            }
            let missing = try await client.execute(uri: "/webhook", method: .post, body: ByteBuffer(string: "{}")) { $0.status }
            XCTAssertEqual(missing, .notFound)
            XCTAssertEqual(try store.inbox().count, 0)
            XCTAssertEqual(try store.deadLetters().count, 0)
        }
    }

    func testBodyOverTheLimitIs413AndStoresNothing() async throws {
        try await withReceiver(maxBodyBytes: 2048) { client, store in
            let big = "[" + Array(repeating: SampleMessages.monitor(), count: 20).joined(separator: ",") + "]"
            XCTAssertGreaterThan(big.utf8.count, 2048)
            let (status, _) = try await Self.post(client, big)
            XCTAssertEqual(status, .contentTooLarge)
            XCTAssertEqual(try store.inbox().count, 0)
            let (small, _) = try await Self.post(client, SampleMessages.monitor())
            XCTAssertEqual(small, .ok)
        }
    }

    func testABodyThatIsNotJSONIsAcknowledgedAndKept() async throws {
        try await withReceiver { client, store in
            let (status, json) = try await Self.post(client, "{\"type\": \"Monitor\", ")
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["deadLetters"] as? Int, 1)
            XCTAssertEqual(try store.deadLetters().map(\.error), ["the body is not JSON"])
        }
    }

    func testStorageFailureIs503SoTheAPIRetries() async throws {
        try await withReceiver { client, store in
            try await store.writer.write { db in
                try db.execute(sql: "CREATE TEMP TRIGGER full BEFORE INSERT ON inbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")
            }
            let (status, _) = try await Self.post(client, SampleMessages.monitor())
            XCTAssertEqual(status, .serviceUnavailable)
            try await store.writer.write { db in try db.execute(sql: "DROP TRIGGER full") }
            let (retry, _) = try await Self.post(client, SampleMessages.monitor())
            XCTAssertEqual(retry, .ok)
            XCTAssertEqual(try store.inbox().count, 1)
        }
    }

    func testVehicleFromTheQueryWhenTheMessageNamesNone() async throws {
        try await withReceiver { client, store in
            _ = try await Self.post(client, SampleMessages.remote(), query: "?vin=VR3QUERY")
            XCTAssertEqual(try store.inbox().first?.vin, "VR3QUERY")
        }
    }

    /// The public listener serves only the webhook: health, readiness and metrics are on
    /// the admin listener (docs/serve.md).
    func testThePublicListenerServesOnlyTheWebhook() async throws {
        try await withReceiver { client, _ in
            for path in ["/healthz", "/readyz", "/metrics"] {
                let status = try await client.execute(uri: path, method: .get) { $0.status }
                XCTAssertEqual(status, .notFound, path)
            }
        }
    }
}
