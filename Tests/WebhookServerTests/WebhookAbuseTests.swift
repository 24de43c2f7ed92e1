import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import WebhookServer
import XCTest

/// Hostile or broken requests: each gets its documented status, the receiver never
/// crashes, and nothing is stored unless the request was authenticated and read whole.
final class WebhookAbuseTests: XCTestCase {
    private static let secret = "abuse-Secret-9f8e7d6c5b4a"

    private func withReceiver(maxBodyBytes: Int = 4 << 20,
                              _ body: @Sendable (any TestClientProtocol, OutcomeDatabase) async throws -> Void) async throws {
        let store = try OutcomeDatabase.inMemory()
        let configuration = WebhookConfiguration(secret: Self.secret, maxBodyBytes: maxBodyBytes)
        let app = Application(router: buildRouter(configuration: configuration, committer: InboxCommitter(database: store)))
        try await app.test(.router) { client in try await body(client, store) }
    }

    private static func post(_ client: any TestClientProtocol, _ body: String, secret: String? = nil,
                      contentType: String? = "application/json") async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        return try await client.execute(uri: "/webhook/\(secret ?? Self.secret)", method: .post, headers: headers,
                                        body: ByteBuffer(string: body)) { response in
            (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
        }
    }

    private static func assertNothingStored(_ store: OutcomeDatabase, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try store.inbox().count, 0, file: file, line: line)
        XCTAssertEqual(try store.deadLetters().count, 0, file: file, line: line)
    }

    func testMalformedJSONIsAcknowledgedAsOneDeadLetter() async throws {
        try await withReceiver { client, store in
            let bodies = ["{", "[1,]", "{\"type\": \"Monitor\"", "nul", "\u{0}\u{1}\u{2}", "[\"\\ud800\"]", "1e999",
                          SampleMessages.monitor() + "garbage", String(decoding: [0xFF, 0xFE, 0x7B], as: UTF8.self)]
            for body in bodies {
                let (status, json) = try await Self.post(client, body)
                XCTAssertEqual(status, .ok, body)
                XCTAssertEqual(json["deadLetters"] as? Int, 1, body)
                XCTAssertEqual(json["stored"] as? Int, 0, body)
            }
            XCTAssertEqual(try store.deadLetters().count, bodies.count)
            XCTAssertEqual(Set(try store.deadLetters().map(\.error)), ["the body is not JSON"])
            XCTAssertEqual(try store.inbox().count, 0)
        }
    }

    func testOversizedBodyIs413WhetherDeclaredOrStreamed() async throws {
        try await withReceiver(maxBodyBytes: 4096) { client, store in
            let big = "[" + Array(repeating: SampleMessages.monitor(), count: 40).joined(separator: ",") + "]"
            // Declared: the test client sends a Content-Length, refused before reading.
            let (status, json) = try await Self.post(client, big)
            XCTAssertEqual(status, .contentTooLarge)
            XCTAssertEqual(json["error"] as? String, "body over 4096 bytes")
            // Streamed without a length: refused once the limit is crossed.
            let streamed = try await client.execute(uri: "/webhook/\(Self.secret)", method: .post,
                                                    headers: [.contentType: "application/json", .transferEncoding: "chunked"],
                                                    body: ByteBuffer(string: big)) { $0.status }
            XCTAssertEqual(streamed, .contentTooLarge)
            try Self.assertNothingStored(store)
        }
    }

    func testDeeplyNestedJSONNeitherOverflowsTheStackNorIsStoredAsAMessage() async throws {
        try await withReceiver { client, store in
            let bodies = [String(repeating: "[", count: 100_000),
                          String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
                          String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000),
                          "[" + String(repeating: "[", count: 300) + SampleMessages.monitor()
                              + String(repeating: "]", count: 300) + "]"]
            for body in bodies {
                let (status, json) = try await Self.post(client, body)
                XCTAssertEqual(status, .ok)
                XCTAssertEqual(json["deadLetters"] as? Int, 1)
            }
            XCTAssertEqual(try store.inbox().count, 0)
            XCTAssertEqual(try store.deadLetters().count, bodies.count)
        }
    }

    func testHugeArraysAreBoundedByTheBodyLimitAndEveryItemAccountedFor() async throws {
        try await withReceiver { client, store in
            // 20,000 items that are not messages: each one a dead letter, none lost.
            let junk = "[" + Array(repeating: "1", count: 20_000).joined(separator: ",") + "]"
            let (junkStatus, junkJSON) = try await Self.post(client, junk)
            XCTAssertEqual(junkStatus, .ok)
            XCTAssertEqual(junkJSON["deadLetters"] as? Int, 20_000)
            // 5,000 distinct messages in one batch: all stored in one request.
            let many = "[" + (0..<5_000).map { SampleMessages.monitor(level: "\($0)") }.joined(separator: ",") + "]"
            let started = Date()
            let (status, json) = try await Self.post(client, many)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["stored"] as? Int, 5_000)
            XCTAssertLessThan(Date().timeIntervalSince(started), 30)
            XCTAssertEqual(try store.inbox().count, 5_000)
            XCTAssertEqual(try store.deadLetters().count, 20_000)
        }
    }

    func testWrongOrMissingSecretIs401AndNothingIsStored() async throws {
        try await withReceiver { client, store in
            for wrong in ["", "x", String(Self.secret.dropLast()), Self.secret + "0", Self.secret.uppercased(), Self.secret + "/extra",
                          String(repeating: "a", count: 10_000), "%00", "..%2F"] {
                let status = try await client.execute(uri: "/webhook/\(wrong)", method: .post,
                                                      headers: [.contentType: "application/json"],
                                                      body: ByteBuffer(string: SampleMessages.monitor())) { $0.status }
                XCTAssertTrue(status == .unauthorized || status == .notFound, "\(wrong.prefix(20)): \(status)")
            }
            let noSecret = try await client.execute(uri: "/webhook/", method: .post,
                                                    body: ByteBuffer(string: SampleMessages.monitor())) { $0.status }
            XCTAssertEqual(noSecret, .notFound)
            try Self.assertNothingStored(store)
        }
    }

    func testWrongMethodIsRefusedAndNothingIsStored() async throws {
        try await withReceiver { client, store in
            for method in [HTTPRequest.Method.get, .put, .delete, .patch] {
                let status = try await client.execute(uri: "/webhook/\(Self.secret)", method: method,
                                                      headers: [.contentType: "application/json"],
                                                      body: ByteBuffer(string: SampleMessages.monitor())) { $0.status }
                // Hummingbird answers 404 for a known path with another method.
                XCTAssertEqual(status, .notFound, "\(method)")
            }
            try Self.assertNothingStored(store)
        }
    }

    func testABodyDeclaredAsSomethingElseThanJSONIs415() async throws {
        try await withReceiver { client, store in
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         "application/xml", "application/jsonx"] {
                let (status, _) = try await Self.post(client, SampleMessages.monitor(), contentType: type)
                XCTAssertEqual(status, .unsupportedMediaType, type)
            }
            try Self.assertNothingStored(store)
            for type in ["application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json", nil] {
                let (status, json) = try await Self.post(client, SampleMessages.monitor(level: "\(type ?? "none")"),
                                                    contentType: type)
                XCTAssertEqual(status, .ok, type ?? "no content type")
                XCTAssertEqual(json["stored"] as? Int, 1)
            }
        }
    }

    func testAWrongSecretIsCheckedBeforeTheContentTypeAndTheSize() async throws {
        try await withReceiver(maxBodyBytes: 16) { client, store in
            let (status, _) = try await Self.post(client, SampleMessages.monitor(), secret: "nope", contentType: "text/plain")
            XCTAssertEqual(status, .unauthorized)
            try Self.assertNothingStored(store)
        }
    }
}
