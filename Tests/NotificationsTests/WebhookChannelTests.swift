import Crypto
import Foundation
import Notifications
import XCTest

/// The generic webhook against a local receiver that checks the request and verifies the
/// Standard Webhooks signature itself (HMAC recomputed here, not with the channel's signer).
final class WebhookChannelTests: XCTestCase {
    static let rawKey = Array("a-32-byte-key-for-hmac-sha256!!!".utf8)
    static var whsec: ChannelSecret { ChannelSecret("whsec_" + Data(rawKey).base64EncodedString(), source: "test") }

    static func channel(_ base: URL, secret: ChannelSecret = whsec, now: Date = Date()) throws -> any NotificationChannel {
        let settings = ChannelSettings.webhook(.init(url: base.appendingPathComponent("hooks/vigie"), secret: secret))
        return try NotificationSender.channel(for: ChannelConfiguration(name: "ops", settings: settings, timeout: 5),
                                              clock: { now })
    }

    /// Verifies a request as a receiver would: recomputes the HMAC over id.timestamp.body.
    static func verify(_ request: RecordedRequest, key: [UInt8]) -> Bool {
        guard let id = request.headers["webhook-id"], let timestamp = request.headers["webhook-timestamp"],
              let signature = request.headers["webhook-signature"] else { return false }
        let content = Data("\(id).\(timestamp).".utf8) + Data(request.body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return signature.split(separator: " ").contains { $0 == "v1," + Data(mac).base64EncodedString() }
    }

    func testRequestShapeBodyAndSignature() async throws {
        let now = Date(timeIntervalSince1970: 1_796_608_805)
        try await withProviderFake([FakeReply(status: 204)]) { base, log in
            let result = try await Self.channel(base, now: now).deliver(TestMessages.tricky())
            XCTAssertEqual(result, .delivered(summary: "HTTP 204"))
            let requests = await log.requests
            XCTAssertEqual(requests.count, 1)
            let request = try XCTUnwrap(requests.first)
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/hooks/vigie")
            XCTAssertEqual(request.headers["content-type"], "application/json")
            XCTAssertEqual(request.headers["webhook-id"], "dlv-0001")
            XCTAssertEqual(request.headers["webhook-timestamp"], "1796608805")
            XCTAssertTrue(Self.verify(request, key: Self.rawKey), "signature does not verify")
            XCTAssertFalse(Self.verify(request, key: Array("another key".utf8)))
            // Keys sorted, nulls kept, exactly DESIGN.md's members.
            let expected = #"{"at":"2026-12-07T02:00:00Z","bundle":"ev-charging","id":"dlv-0001","priority":"high","#
                + #""rule":"low-battery","text":"18 % < 20 % & plugged: <b>charge</b> 🚗\nline two","#
                + #""title":"Battery <low> & \"cold\"","type":"notification","vehicle":"Zoé's car","vin":"VR3UHZKXZMT000001"}"#
            XCTAssertEqual(request.text, expected)
        }
    }

    func testAlertBodyAndPlainSecretKey() async throws {
        let secret = ChannelSecret("plain-secret-bytes", source: "test")
        try await withProviderFake() { base, log in
            var alert = NotificationMessage(id: "alert-7", kind: .alert(kind: "session_expired", state: .firing),
                                            at: TestMessages.at, text: "run `vigie login`", priority: .urgent)
            alert.title = nil
            _ = try await Self.channel(base, secret: secret).deliver(alert)
            let request = try await log.firstRequest()
            XCTAssertTrue(Self.verify(request, key: Array("plain-secret-bytes".utf8)))
            XCTAssertEqual(request.text, #"{"alert":"session_expired","at":"2026-12-07T02:00:00Z","bundle":null,"#
                + #""id":"alert-7","priority":"urgent","rule":null,"state":"firing","text":"run `vigie login`","#
                + #""title":null,"type":"alert","vehicle":null,"vin":null}"#)
        }
    }

    func testSameIDOnEveryRetryAndAnswersClassified() async throws {
        let replies = [FakeReply(status: 503, body: "busy"), FakeReply(status: 429, headers: [("Retry-After", "7")]),
                       FakeReply(status: 400, body: "{\"error\":\"bad\"}"), FakeReply(status: 200, body: "accepted")]
        try await withProviderFake(replies) { base, log in
            let channel = try Self.channel(base)
            let message = TestMessages.plain()
            let first = await channel.deliver(message)
            let second = await channel.deliver(message)
            let third = await channel.deliver(message)
            let fourth = await channel.deliver(message)
            XCTAssertEqual(first, .retryable(reason: "HTTP 503: busy", retryAfter: nil))
            XCTAssertEqual(second, .retryable(reason: "HTTP 429", retryAfter: 7))
            XCTAssertEqual(third, .failed(reason: #"HTTP 400: {"error":"bad"}"#))
            XCTAssertEqual(fourth, .delivered(summary: "HTTP 200: accepted"))
            let ids = await log.requests.map { $0.headers["webhook-id"] }
            XCTAssertEqual(ids, Array(repeating: "dlv-0002", count: 4))
        }
    }

    func testUnreachableIsRetryableAndTimeoutToo() async throws {
        // A port nothing listens on: connection refused.
        let settings = ChannelSettings.webhook(.init(url: URL(string: "http://127.0.0.1:9/x")!, secret: Self.whsec))
        let channel = try NotificationSender.channel(for: ChannelConfiguration(name: "ops", settings: settings, timeout: 2))
        guard case .retryable = await channel.deliver(TestMessages.plain()) else { return XCTFail("not retryable") }
    }

    func testBadWhsecIsASetupError() {
        let settings = ChannelSettings.webhook(.init(url: URL(string: "http://127.0.0.1/")!,
                                                     secret: ChannelSecret("whsec_!!notbase64!!")))
        XCTAssertThrowsError(try NotificationSender.channel(for: ChannelConfiguration(name: "ops", settings: settings))) {
            XCTAssertFalse("\($0)".contains("notbase64"))
        }
    }
}
