import Foundation
import VehicleData

/// Slack, Discord and Mattermost incoming webhooks: `POST` to the webhook's URL (a secret)
/// with a JSON message.
///
/// - Slack (api.slack.com/messaging/webhooks): `{"text"}`, `&` `<` `>` escaped as
///   `&amp;` `&lt;` `&gt;` (Slack's mrkdwn control characters), the heading in `*…*`;
///   answers `ok`.
/// - Discord (discord.com/developers/docs/resources/webhook#execute-webhook): `{"content",
///   "allowed_mentions": {"parse": []}}` so that a text cannot ping `@everyone`, the
///   heading in `**…**`, content cut at 2,000 characters; `?wait=true` makes Discord answer
///   with the message (its id is the summary).
/// - Mattermost (developers.mattermost.com/integrate/webhooks/incoming): `{"text"}`
///   (Markdown), the heading in `**…**`; answers `ok`.
///
/// `username`, when configured, overrides the webhook's display name.
package struct ChatWebhookChannel: NotificationChannel {
    package enum Flavor: String, Sendable { case slack, discord, mattermost }

    package let name: String
    let flavor: Flavor
    let settings: ChannelSettings.IncomingWebhook
    let http: HTTPDelivery

    package init(name: String, flavor: Flavor, settings: ChannelSettings.IncomingWebhook, http: HTTPDelivery) {
        self.name = name
        self.flavor = flavor
        self.settings = settings
        self.http = http
    }

    /// Slack's three control characters as entities.
    package static func escapeSlack(_ text: String) -> String {
        TelegramChannel.escapeHTML(text)
    }

    package static func request(_ message: NotificationMessage, flavor: Flavor,
                               settings: ChannelSettings.IncomingWebhook) -> ProviderRequest {
        var url = settings.url.reveal()
        var body: [String: JSONValue] = [:]
        switch flavor {
        case .slack:
            var text = escapeSlack(message.text)
            if let heading = message.heading { text = "*\(escapeSlack(heading))*\n" + text }
            body["text"] = .string(text)
        case .discord:
            var text = message.text
            if let heading = message.heading { text = "**\(heading)**\n" + text }
            body["content"] = .string(ProviderText.cut(text, 2000))
            body["allowed_mentions"] = .object(["parse": .array([])])
            url += url.contains("?") ? "&wait=true" : "?wait=true"
        case .mattermost:
            var text = message.text
            if let heading = message.heading { text = "**\(heading)**\n" + text }
            body["text"] = .string(text)
        }
        if let username = settings.username { body["username"] = .string(username) }
        return ProviderRequest(url: url, headers: [.init("Content-Type", "application/json")],
                               body: NotificationJSON.bytes(.object(body)))
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        let flavor = self.flavor
        return await http.send(Self.request(message, flavor: flavor, settings: settings)) { response in
            if flavor == .discord, let id = ProviderText.member("id", in: response.body) { return "discord message \(id)" }
            let excerpt = ResponseClassifier.excerpt(response.text, limit: 60)
            return excerpt.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(excerpt)"
        }
    }
}
