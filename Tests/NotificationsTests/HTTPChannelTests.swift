import Foundation
import Notifications
import XCTest

/// ntfy, Telegram, Pushover, Gotify, Slack, Discord, Mattermost and Home Assistant, each
/// against a local fake that checks method, path, headers, fields and escaping.
final class HTTPChannelTests: XCTestCase {
    static func deliver(_ settings: ChannelSettings, _ message: NotificationMessage) async throws -> DeliveryResult {
        let channel = try NotificationSender.channel(for: ChannelConfiguration(name: "c", settings: settings, timeout: 5))
        return await channel.deliver(message)
    }

    func testNtfyPublishesJSONToTheRootWithBearerToken() async throws {
        try await withProviderFake([.json(200, #"{"id":"hwQ2YpKdmg","time":1796608800,"event":"message","topic":"t"}"#)]) { base, log in
            let settings = ChannelSettings.ntfy(.init(url: base, topic: ChannelSecret("vigie-topic-x1"),
                                                      token: ChannelSecret("tk_secrettoken"), tags: ["car"]))
            let result = try await Self.deliver(settings, TestMessages.tricky())
            XCTAssertEqual(result, .delivered(summary: "ntfy message hwQ2YpKdmg"))
            let request = try await log.firstRequest()
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/")
            XCTAssertEqual(request.headers["authorization"], "Bearer tk_secrettoken")
            XCTAssertEqual(request.headers["content-type"], "application/json")
            let json = try XCTUnwrap(request.json)
            XCTAssertEqual(json["topic"] as? String, "vigie-topic-x1")
            XCTAssertEqual(json["message"] as? String, TestMessages.tricky().text)
            XCTAssertEqual(json["title"] as? String, "Battery <low> & \"cold\"")
            XCTAssertEqual(json["priority"] as? Int, 4)
            XCTAssertEqual(json["tags"] as? [String], ["car"])
        }
    }

    func testNtfyAlertTagAndNoTitleForPlainText() async throws {
        try await withProviderFake() { base, log in
            let settings = ChannelSettings.ntfy(.init(url: base, topic: ChannelSecret("vigie-topic-x1")))
            _ = try await Self.deliver(settings, TestMessages.plain())
            _ = try await Self.deliver(settings, NotificationMessage(id: "a", kind: .alert(kind: "command_failed", state: .resolved),
                                                                     at: TestMessages.at, text: "ok again", priority: .low))
            let requests = await log.requests
            XCTAssertNil(requests[0].json?["title"])
            XCTAssertNil(requests[0].headers["authorization"])
            XCTAssertEqual(requests[0].json?["priority"] as? Int, 3)
            XCTAssertEqual(requests[1].json?["tags"] as? [String], ["white_check_mark"])
            XCTAssertEqual(requests[1].json?["priority"] as? Int, 2)
            XCTAssertEqual(requests[1].json?["title"] as? String, "Vigie alert command_failed (resolved)")
        }
    }

    func testTelegramSendMessageHTMLEscapedAndRetryAfter() async throws {
        let token = "123456:ABC-DEF_telegram"
        let replies: [FakeReply] = [
            .json(200, #"{"ok":true,"result":{"message_id":42,"chat":{"id":-100}}}"#),
            .json(429, #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#),
            .json(400, #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#),
        ]
        try await withProviderFake(replies) { base, log in
            let settings = ChannelSettings.telegram(.init(token: ChannelSecret(token), chatID: "-1001234", apiURL: base))
            let first = try await Self.deliver(settings, TestMessages.tricky())
            XCTAssertEqual(first, .delivered(summary: "telegram message 42"))
            let second = try await Self.deliver(settings, TestMessages.plain())
            guard case .retryable(_, let after) = second else { return XCTFail("\(second)") }
            XCTAssertEqual(after, 3)
            let third = try await Self.deliver(settings, TestMessages.plain())
            guard case .failed(let reason) = third else { return XCTFail("\(third)") }
            XCTAssertTrue(reason.contains("chat not found"), reason)
            let request = try await log.firstRequest()
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/bot\(token)/sendMessage")
            XCTAssertEqual(request.headers["content-type"], "application/json")
            let json = try XCTUnwrap(request.json)
            XCTAssertEqual(json["chat_id"] as? String, "-1001234")
            XCTAssertEqual(json["parse_mode"] as? String, "HTML")
            XCTAssertEqual(json["disable_notification"] as? Bool, false)
            XCTAssertEqual(json["text"] as? String,
                           "<b>Battery &lt;low&gt; &amp; \"cold\"</b>\n18 % &lt; 20 % &amp; plugged: &lt;b&gt;charge&lt;/b&gt; 🚗\nline two")
            let quiet = await log.requests[1].json
            XCTAssertEqual(quiet?["text"] as? String, "battery at 18 %")
        }
    }

    func testPushoverFormFields() async throws {
        try await withProviderFake([.json(200, #"{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}"#)]) { base, log in
            let settings = ChannelSettings.pushover(.init(token: ChannelSecret("azGDORePK8gMaC0QOYAMyEEuzJnyUi"),
                                                          user: ChannelSecret("uQiRzpo4DXghDmr9QzzfQu27cmVRsG"),
                                                          device: "pixel", apiURL: base))
            let result = try await Self.deliver(settings, TestMessages.tricky(priority: .urgent))
            XCTAssertEqual(result, .delivered(summary: "pushover request 647d2300-702c-4b38-8b2f-d56326ae460b"))
            let request = try await log.firstRequest()
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/1/messages.json")
            XCTAssertEqual(request.headers["content-type"], "application/x-www-form-urlencoded")
            XCTAssertEqual(request.form, [
                "token": "azGDORePK8gMaC0QOYAMyEEuzJnyUi", "user": "uQiRzpo4DXghDmr9QzzfQu27cmVRsG",
                "message": TestMessages.tricky().text, "title": "Battery <low> & \"cold\"", "priority": "2",
                "retry": "60", "expire": "3600", "timestamp": "1796608800", "device": "pixel",
            ])
        }
    }

    func testPushoverNormalHasNoEmergencyFieldsAndInvalidUserFails() async throws {
        try await withProviderFake([.json(400, #"{"user":"invalid","errors":["user identifier is invalid"],"status":0}"#)]) { base, log in
            let settings = ChannelSettings.pushover(.init(token: ChannelSecret("azGDORePK8gMaC0QOYAMyEEuzJnyUi"),
                                                          user: ChannelSecret("uQiRzpo4DXghDmr9QzzfQu27cmVRsG"), apiURL: base))
            let result = try await Self.deliver(settings, TestMessages.plain())
            guard case .failed(let reason) = result else { return XCTFail("\(result)") }
            XCTAssertTrue(reason.contains("user identifier is invalid"))
            let form = try await log.firstRequest().form
            XCTAssertEqual(form["priority"], "0")
            XCTAssertNil(form["retry"])
            XCTAssertNil(form["title"])
        }
    }

    func testGotifyMessageWithAppToken() async throws {
        try await withProviderFake([.json(200, #"{"id":25,"appid":5,"message":"m","title":"t","priority":8}"#)]) { base, log in
            let settings = ChannelSettings.gotify(.init(url: base, token: ChannelSecret("AbCdEf.gotify")))
            let result = try await Self.deliver(settings, TestMessages.tricky())
            XCTAssertEqual(result, .delivered(summary: "gotify message 25"))
            let request = try await log.firstRequest()
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/message")
            XCTAssertEqual(request.headers["x-gotify-key"], "AbCdEf.gotify")
            let json = try XCTUnwrap(request.json)
            XCTAssertEqual(json["priority"] as? Int, 8)
            XCTAssertEqual(json["title"] as? String, "Battery <low> & \"cold\"")
            XCTAssertEqual(json["message"] as? String, TestMessages.tricky().text)
        }
    }

    func testSlackEscapesControlCharacters() async throws {
        try await withProviderFake([FakeReply(status: 200, body: "ok")]) { base, log in
            let url = ChannelSecret(base.absoluteString + "/services/T000/B000/XXXXSLACK")
            let result = try await Self.deliver(.slack(.init(url: url)), TestMessages.tricky())
            XCTAssertEqual(result, .delivered(summary: "HTTP 200: ok"))
            let request = try await log.firstRequest()
            XCTAssertEqual(request.path, "/services/T000/B000/XXXXSLACK")
            XCTAssertEqual(request.headers["content-type"], "application/json")
            XCTAssertEqual(request.json?["text"] as? String,
                           "*Battery &lt;low&gt; &amp; \"cold\"*\n18 % &lt; 20 % &amp; plugged: &lt;b&gt;charge&lt;/b&gt; 🚗\nline two")
        }
    }

    func testSlackArchivedChannelFails() async throws {
        try await withProviderFake([FakeReply(status: 410, body: "channel_is_archived")]) { base, _ in
            let url = ChannelSecret(base.absoluteString + "/services/T000/B000/XXXXSLACK")
            let result = try await Self.deliver(.slack(.init(url: url)), TestMessages.plain())
            XCTAssertEqual(result, .failed(reason: "HTTP 410: channel_is_archived"))
        }
    }

    func testDiscordWaitsAndMutesMentions() async throws {
        try await withProviderFake([.json(200, #"{"id":"1234567890","type":0,"content":"x"}"#)]) { base, log in
            let url = ChannelSecret(base.absoluteString + "/api/webhooks/1/tokenDISCORD")
            let result = try await Self.deliver(.discord(.init(url: url, username: "Vigie")), TestMessages.tricky())
            XCTAssertEqual(result, .delivered(summary: "discord message 1234567890"))
            let request = try await log.firstRequest()
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/api/webhooks/1/tokenDISCORD")
            XCTAssertEqual(request.query, "wait=true")
            let json = try XCTUnwrap(request.json)
            XCTAssertEqual(json["content"] as? String, "**Battery <low> & \"cold\"**\n" + TestMessages.tricky().text)
            XCTAssertEqual((json["allowed_mentions"] as? [String: Any])?["parse"] as? [String], [])
            XCTAssertEqual(json["username"] as? String, "Vigie")
        }
    }

    func testDiscordRateLimitHonoursRetryAfter() async throws {
        try await withProviderFake([.json(429, #"{"message":"You are being rate limited.","retry_after":1.5,"global":false}"#,
                                          headers: [("Retry-After", "2")])]) { base, _ in
            let url = ChannelSecret(base.absoluteString + "/api/webhooks/1/tokenDISCORD")
            let result = try await Self.deliver(.discord(.init(url: url)), TestMessages.plain())
            guard case .retryable(_, let after) = result else { return XCTFail("\(result)") }
            XCTAssertEqual(after, 2)
        }
    }

    func testMattermostText() async throws {
        try await withProviderFake([FakeReply(status: 200, body: "ok")]) { base, log in
            let url = ChannelSecret(base.absoluteString + "/hooks/xxxgeneratedkeyxxx")
            _ = try await Self.deliver(.mattermost(.init(url: url)), TestMessages.tricky())
            let request = try await log.firstRequest()
            XCTAssertEqual(request.path, "/hooks/xxxgeneratedkeyxxx")
            XCTAssertEqual(request.json?["text"] as? String, "**Battery <low> & \"cold\"**\n" + TestMessages.tricky().text)
            XCTAssertNil(request.json?["username"])
        }
    }

    func testHomeAssistantWebhookTrigger() async throws {
        try await withProviderFake([FakeReply(status: 200)]) { base, log in
            let settings = ChannelSettings.homeAssistant(.init(url: base, target: .webhook(id: ChannelSecret("vigie-hook-0123"))))
            let result = try await Self.deliver(settings, TestMessages.tricky())
            XCTAssertEqual(result, .delivered(summary: "HTTP 200"))
            let request = try await log.firstRequest()
            XCTAssertEqual(request.method, "POST")
            XCTAssertEqual(request.path, "/api/webhook/vigie-hook-0123")
            XCTAssertEqual(request.json?["text"] as? String, TestMessages.tricky().text)
            XCTAssertEqual(request.json?["vin"] as? String, "VR3UHZKXZMT000001")
            XCTAssertNil(request.headers["authorization"])
        }
    }

    func testHomeAssistantNotifyServiceWithToken() async throws {
        try await withProviderFake([.json(200, "[]"), .json(401, #"{"message":"Invalid authentication"}"#)]) { base, log in
            let settings = ChannelSettings.homeAssistant(.init(url: base, target: .service(
                name: "mobile_app_pixel", token: ChannelSecret("eyJhbGciOiJIUzI1NiJ9.longlived"))))
            let result = try await Self.deliver(settings, TestMessages.tricky())
            XCTAssertEqual(result, .delivered(summary: "HTTP 200"))
            let refused = try await Self.deliver(settings, TestMessages.tricky())
            guard case .failed = refused else { return XCTFail("\(refused)") }
            let request = try await log.firstRequest()
            XCTAssertEqual(request.path, "/api/services/notify/mobile_app_pixel")
            XCTAssertEqual(request.headers["authorization"], "Bearer eyJhbGciOiJIUzI1NiJ9.longlived")
            XCTAssertEqual(request.json?["message"] as? String, TestMessages.tricky().text)
            XCTAssertEqual(request.json?["title"] as? String, "Battery <low> & \"cold\"")
        }
    }

    /// A provider that echoes the request (URL, headers) in its error: no secret reaches the result.
    func testSecretsNeverInResults() async throws {
        let token = "987654:SECRET-bot-token"
        try await withProviderFake([.json(400, "{\"error\":\"bad token /bot\(token)/sendMessage Bearer tk_hidden\"}")]) { base, _ in
            let telegram = ChannelSettings.telegram(.init(token: ChannelSecret(token), chatID: "1", apiURL: base))
            let result = try await Self.deliver(telegram, TestMessages.plain())
            XCTAssertFalse(result.detail.contains(token), result.detail)
            XCTAssertTrue(result.detail.contains("<redacted>"), result.detail)
            let ntfy = ChannelSettings.ntfy(.init(url: base, topic: ChannelSecret("topic-abc"), token: ChannelSecret("tk_hidden")))
            let second = try await Self.deliver(ntfy, TestMessages.plain())
            XCTAssertFalse(second.detail.contains("tk_hidden"), second.detail)
        }
        XCTAssertEqual("\(ChannelSecret(token))", "<redacted>")
        XCTAssertFalse(String(reflecting: ChannelSecret(token)).contains(token))
        var dumped = ""
        dump(ChannelSettings.telegram(.init(token: ChannelSecret(token), chatID: "1")), to: &dumped)
        XCTAssertFalse(dumped.contains(token), dumped)
    }
}
