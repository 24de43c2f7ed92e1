import AsyncHTTPClient
import Foundation

/// Makes the code that sends through a configured channel. Throws only for settings that
/// cannot work at all (a `whsec_` secret that is not base64, an unreadable trust roots
/// file), with a message that names no secret.
package enum NotificationSender {
    package struct SetupError: Error, CustomStringConvertible {
        package var channel: String
        package var message: String
        package var description: String { "channel \(channel): \(message)" }
    }

    package static func channel(for configuration: ChannelConfiguration, client: HTTPClient = .shared,
                               clock: @escaping @Sendable () -> Date = { Date() }) throws -> any NotificationChannel {
        let name = configuration.name
        let settings = configuration.settings
        let http = HTTPDelivery(client: client, timeout: configuration.timeout,
                                redactor: SecretRedactor(settings.secrets))
        do {
            switch settings {
            case .webhook(let s): return try WebhookChannel(name: name, settings: s, http: http, clock: clock)
            case .ntfy(let s): return NtfyChannel(name: name, settings: s, http: http)
            case .telegram(let s): return TelegramChannel(name: name, settings: s, http: http)
            case .pushover(let s): return PushoverChannel(name: name, settings: s, http: http)
            case .gotify(let s): return GotifyChannel(name: name, settings: s, http: http)
            case .slack(let s): return ChatWebhookChannel(name: name, flavor: .slack, settings: s, http: http)
            case .discord(let s): return ChatWebhookChannel(name: name, flavor: .discord, settings: s, http: http)
            case .mattermost(let s): return ChatWebhookChannel(name: name, flavor: .mattermost, settings: s, http: http)
            case .homeAssistant(let s): return HomeAssistantChannel(name: name, settings: s, http: http)
            case .email(let s): return try EmailChannel(name: name, settings: s, timeout: configuration.timeout)
            }
        } catch {
            throw SetupError(channel: name, message: SecretRedactor(settings.secrets).redact("\(error)"))
        }
    }
}
