import Foundation
import Notifications
import VigieTestSupport
import XCTest

/// The secrets audit, for the channels: every HTTP channel sends its secrets to a provider
/// that echoes the whole request (path, headers, body) back in an error; the result shown
/// to people (and later stored) holds none of them.
final class NotificationSecretsAuditTests: XCTestCase {
    func testEchoedRequestsAreRedacted() async throws {
        let echo = CallbackEcho()
        try await withProviderFake([FakeReply(status: 400, body: "")]) { base, _ in
            for settings in SecretsAudit.channels(base: base) {
                let config = ChannelConfiguration(name: settings.kind, settings: settings, timeout: 5)
                let request = try XCTUnwrap(Self.request(for: settings))
                // What an echoing provider answers: the whole request.
                let echoed = request.url + " " + request.headers.map { "\($0.name): \($0.value)" }.joined(separator: " ")
                    + " " + String(decoding: request.body, as: UTF8.self)
                let redactor = SecretRedactor(settings.secrets)
                let result = redactor.redact(ResponseClassifier.classify(ProviderResponse(status: 400, body: Array(echoed.utf8)),
                                                                         delivered: { _ in "" }))
                let secrets = settings.secrets.map { $0.reveal() } + SecretsAudit.allChannelSecrets
                XCTAssertEqual(SecretsAudit.leaks(of: secrets, in: [(settings.kind, result.detail)]), [], result.detail)
                // And through the real channel against the fake (its answer is empty).
                let live = try await NotificationSender.channel(for: config).deliver(TestMessages.plain())
                await echo.add(live.detail)
            }
        }
        let details = await echo.all
        XCTAssertEqual(details.count, 10)
        XCTAssertEqual(SecretsAudit.leaks(of: SecretsAudit.channelSecrets, in: [("the live details", details.joined())]), [])
    }

    static func request(for settings: ChannelSettings) -> ProviderRequest? {
        let message = TestMessages.tricky()
        switch settings {
        case .webhook(let s): return try? WebhookChannel.request(message, url: s.url, signer: StandardWebhookSigner(secret: s.secret), now: Date())
        case .ntfy(let s): return NtfyChannel.request(message, settings: s)
        case .telegram(let s): return TelegramChannel.request(message, settings: s)
        case .pushover(let s): return PushoverChannel.request(message, settings: s)
        case .gotify(let s): return GotifyChannel.request(message, settings: s)
        case .slack(let s): return ChatWebhookChannel.request(message, flavor: .slack, settings: s)
        case .discord(let s): return ChatWebhookChannel.request(message, flavor: .discord, settings: s)
        case .mattermost(let s): return ChatWebhookChannel.request(message, flavor: .mattermost, settings: s)
        case .homeAssistant(let s): return HomeAssistantChannel.request(message, settings: s)
        case .email: return nil
        }
    }
}

actor CallbackEcho {
    private(set) var all: [String] = []
    func add(_ text: String) { all.append(text) }
}
