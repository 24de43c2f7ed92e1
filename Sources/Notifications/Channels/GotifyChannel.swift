import Foundation
import VehicleData

/// Gotify (gotify.net/api-docs): `POST {url}/message` with the application token in
/// `X-Gotify-Key` and JSON `{"message", "title", "priority"}`; priorities on Gotify's 0–10
/// scale: low 2, normal 5, high 8, urgent 10.
package struct GotifyChannel: NotificationChannel {
    package let name: String
    let settings: ChannelSettings.Gotify
    let http: HTTPDelivery

    package init(name: String, settings: ChannelSettings.Gotify, http: HTTPDelivery) {
        self.name = name
        self.settings = settings
        self.http = http
    }

    static func priority(_ priority: NotificationPriority) -> Int {
        switch priority {
        case .low: return 2
        case .normal: return 5
        case .high: return 8
        case .urgent: return 10
        }
    }

    package static func request(_ message: NotificationMessage, settings: ChannelSettings.Gotify) -> ProviderRequest {
        var body: [String: JSONValue] = ["message": .string(message.text),
                                         "priority": .number(Double(priority(message.priority)))]
        if let heading = message.heading { body["title"] = .string(heading) }
        return ProviderRequest(url: ProviderText.join(settings.url, "/message"), headers: [
            .init("Content-Type", "application/json"),
            .init("X-Gotify-Key", settings.token.reveal()),
        ], body: NotificationJSON.bytes(.object(body)))
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        await http.send(Self.request(message, settings: settings)) { response in
            ProviderText.member("id", in: response.body).map { "gotify message \($0)" } ?? "HTTP \(response.status)"
        }
    }
}
