import Foundation
import VehicleData

/// Home Assistant (developers.home-assistant.io/docs/api/rest), either:
/// - a webhook trigger: `POST {url}/api/webhook/<id>` with the generic webhook's JSON body
///   (an automation reads `trigger.json.text`, `trigger.json.title`, …); Home Assistant
///   answers 200 whatever the id, so a wrong id shows only in Home Assistant's log;
/// - the REST `notify` service: `POST {url}/api/services/notify/<service>` with
///   `Authorization: Bearer <long-lived token>` and `{"message", "title"}`.
package struct HomeAssistantChannel: NotificationChannel {
    package let name: String
    let settings: ChannelSettings.HomeAssistant
    let http: HTTPDelivery

    package init(name: String, settings: ChannelSettings.HomeAssistant, http: HTTPDelivery) {
        self.name = name
        self.settings = settings
        self.http = http
    }

    package static func request(_ message: NotificationMessage, settings: ChannelSettings.HomeAssistant) -> ProviderRequest {
        switch settings.target {
        case .webhook(let id):
            return ProviderRequest(url: ProviderText.join(settings.url, "/api/webhook/\(id.reveal())"),
                                   headers: [.init("Content-Type", "application/json")],
                                   body: NotificationJSON.bytes(WebhookPayload.body(message)))
        case .service(let service, let token):
            var body: [String: JSONValue] = ["message": .string(message.text)]
            if let heading = message.heading { body["title"] = .string(heading) }
            return ProviderRequest(url: ProviderText.join(settings.url, "/api/services/notify/\(service)"), headers: [
                .init("Authorization", "Bearer \(token.reveal())"),
                .init("Content-Type", "application/json"),
            ], body: NotificationJSON.bytes(.object(body)))
        }
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        await http.send(Self.request(message, settings: settings)) { response in "HTTP \(response.status)" }
    }
}
