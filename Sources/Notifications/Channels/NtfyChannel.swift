import Foundation
import VehicleData

/// ntfy: publish as JSON (docs.ntfy.sh/publish, "Publish as JSON"): `POST` to the server's
/// root URL with `{"topic", "message", "title", "priority", "tags"}`; an access token goes
/// in `Authorization: Bearer`. Priorities: low 2, normal 3 (default), high 4, urgent 5.
/// Tags: the channel's `tags`, plus `rotating_light` / `white_check_mark` for an alert
/// firing / resolved (ntfy shows them as emojis).
package struct NtfyChannel: NotificationChannel {
    package let name: String
    let settings: ChannelSettings.Ntfy
    let http: HTTPDelivery

    package init(name: String, settings: ChannelSettings.Ntfy, http: HTTPDelivery) {
        self.name = name
        self.settings = settings
        self.http = http
    }

    static func priority(_ priority: NotificationPriority) -> Int {
        switch priority {
        case .low: return 2
        case .normal: return 3
        case .high: return 4
        case .urgent: return 5
        }
    }

    package static func request(_ message: NotificationMessage, settings: ChannelSettings.Ntfy) -> ProviderRequest {
        var tags = settings.tags
        if case .alert(_, let state) = message.kind { tags.append(state == .firing ? "rotating_light" : "white_check_mark") }
        var body: [String: JSONValue] = [
            "topic": .string(settings.topic.reveal()),
            "message": .string(message.text),
            "priority": .number(Double(priority(message.priority))),
        ]
        if let heading = message.heading { body["title"] = .string(heading) }
        if !tags.isEmpty { body["tags"] = .array(tags.map { .string($0) }) }
        var headers: [ProviderRequest.Header] = [.init("Content-Type", "application/json")]
        if let token = settings.token { headers.append(.init("Authorization", "Bearer \(token.reveal())")) }
        return ProviderRequest(url: ProviderText.join(settings.url, "/"), headers: headers,
                               body: NotificationJSON.bytes(.object(body)))
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        await http.send(Self.request(message, settings: settings)) { response in
            ProviderText.member("id", in: response.body).map { "ntfy message \($0)" } ?? "HTTP \(response.status)"
        }
    }
}
