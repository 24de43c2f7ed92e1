import Foundation
import Notifications
import XCTest

/// The secrets audit, for the channels: every HTTP channel sends its secrets to a provider
/// that echoes the whole request (path, headers, body) back in an error; the result shown
/// to people (and later stored) holds none of them.
final class NotificationSecretsAuditTests: XCTestCase {
    static let secrets = [
        "whsec-like-plain-secret", "ntfy-topic-secret", "tk_ntfy_token_secret", "4242:telegram/bot+token=",
        "pushover-app-token-secret", "pushover-user-key-secret", "gotify-token-secret", "ha-webhook-id-secret",
        "ha-long-lived-token-secret",
    ]

    func testEchoedRequestsAreRedacted() async throws {
        let echo = CallbackEcho()
        try await withProviderFake([FakeReply(status: 400, body: "")]) { base, _ in
            let incoming = base.absoluteString + "/incoming/hook-url-secret-part"
            let s = Self.secrets.map { ChannelSecret($0) }
            let all: [ChannelSettings] = [
                .webhook(.init(url: base, secret: s[0])),
                .ntfy(.init(url: base, topic: s[1], token: s[2])),
                .telegram(.init(token: s[3], chatID: "1", apiURL: base)),
                .pushover(.init(token: s[4], user: s[5], apiURL: base)),
                .gotify(.init(url: base, token: s[6])),
                .slack(.init(url: ChannelSecret(incoming))),
                .discord(.init(url: ChannelSecret(incoming))),
                .mattermost(.init(url: ChannelSecret(incoming))),
                .homeAssistant(.init(url: base, target: .webhook(id: s[7]))),
                .homeAssistant(.init(url: base, target: .service(name: "notify_me", token: s[8]))),
            ]
            for settings in all {
                let config = ChannelConfiguration(name: settings.kind, settings: settings, timeout: 5)
                let request = try XCTUnwrap(Self.request(for: settings))
                // What an echoing provider answers: the whole request.
                let echoed = request.url + " " + request.headers.map { "\($0.name): \($0.value)" }.joined(separator: " ")
                    + " " + String(decoding: request.body, as: UTF8.self)
                let redactor = SecretRedactor(settings.secrets)
                let result = redactor.redact(ResponseClassifier.classify(ProviderResponse(status: 400, body: Array(echoed.utf8)),
                                                                         delivered: { _ in "" }))
                for secret in settings.secrets.map({ $0.reveal() }) + Self.secrets + ["hook-url-secret-part"] {
                    XCTAssertFalse(result.detail.contains(secret), "\(settings.kind): \(result.detail)")
                }
                // And through the real channel against the fake (its answer is empty).
                let live = try await NotificationSender.channel(for: config).deliver(TestMessages.plain())
                await echo.add(live.detail)
            }
        }
        let details = await echo.all
        XCTAssertEqual(details.count, 10)
        for secret in Self.secrets { XCTAssertFalse(details.joined().contains(secret)) }
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
