import Foundation
import Notifications

/// The secrets audits' fixture: one channel of each kind holding a known secret, and the
/// check that no secret stands in any of the places a test collected (log lines, command
/// output, the database file's bytes).
package enum SecretsAudit {
    /// What each channel of ``channels(base:)`` keeps secret, in its order.
    package static let channelSecrets = [
        "whsec-like-plain-secret", "ntfy-topic-secret", "tk_ntfy_token_secret", "4242:telegram/bot+token=",
        "pushover-app-token-secret", "pushover-user-key-secret", "gotify-token-secret", "ha-webhook-id-secret",
        "ha-long-lived-token-secret",
    ]

    /// The secret part of the chat webhooks' URL path (Slack, Discord, Mattermost).
    package static let urlSecretPart = "hook-url-secret-part"

    /// ``channelSecrets`` and ``urlSecretPart``: all that ``channels(base:)`` must never show.
    package static var allChannelSecrets: [String] { channelSecrets + [urlSecretPart] }

    /// Ten channels, one of each kind but e-mail (Home Assistant twice: a webhook and a
    /// service call), every one sending to `base` with its secrets from ``channelSecrets``.
    package static func channels(base: URL) -> [ChannelSettings] {
        let incoming = base.absoluteString + "/incoming/" + urlSecretPart
        let s = channelSecrets.map { ChannelSecret($0) }
        return [
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
    }

    /// `"<name> in <place>"` for every secret (name → value) found in a place's text;
    /// empty when none is.
    package static func leaks(of secrets: [String: String], in places: [(place: String, text: String)]) -> [String] {
        places.flatMap { place, text in
            secrets.sorted { $0.key < $1.key }.filter { text.contains($0.value) }.map { "\($0.key) in \(place)" }
        }
    }

    /// ``leaks(of:in:)`` for secrets that are their own names (test values, not real ones).
    package static func leaks(of secrets: [String], in places: [(place: String, text: String)]) -> [String] {
        leaks(of: Dictionary(secrets.map { ($0, $0) }, uniquingKeysWith: { first, _ in first }), in: places)
    }

    /// The SQLite file at `path` and its `-wal`, byte for byte as text, for those that exist.
    package static func databaseFiles(_ path: String) -> [(place: String, text: String)] {
        ["", "-wal"].compactMap { suffix in
            FileManager.default.contents(atPath: path + suffix).map { (path + suffix, String(decoding: $0, as: UTF8.self)) }
        }
    }
}
