import Foundation

/// The generic webhook: `POST url` with `Content-Type: application/json` and the Standard
/// Webhooks headers `webhook-id` (the delivery id, the same on every retry),
/// `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`.
package struct WebhookChannel: NotificationChannel {
    package let name: String
    let settings: ChannelSettings.Webhook
    let signer: StandardWebhookSigner
    let http: HTTPDelivery
    let clock: @Sendable () -> Date

    package init(name: String, settings: ChannelSettings.Webhook, http: HTTPDelivery,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.name = name
        self.settings = settings
        self.signer = try StandardWebhookSigner(secret: settings.secret)
        self.http = http
        self.clock = clock
    }

    package static func request(_ message: NotificationMessage, url: URL, signer: StandardWebhookSigner,
                               now: Date) -> ProviderRequest {
        let body = NotificationJSON.bytes(WebhookPayload.body(message))
        let timestamp = Int(now.timeIntervalSince1970)
        return ProviderRequest(url: url.absoluteString, headers: [
            .init("Content-Type", "application/json"),
            .init("webhook-id", message.id),
            .init("webhook-timestamp", String(timestamp)),
            .init("webhook-signature", signer.signature(id: message.id, timestamp: timestamp, body: body)),
        ], body: body)
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        let request = Self.request(message, url: settings.url, signer: signer, now: clock())
        return await http.send(request) { response in
            let excerpt = ResponseClassifier.excerpt(response.text, limit: 120)
            return excerpt.isEmpty ? "HTTP \(response.status)" : "HTTP \(response.status): \(excerpt)"
        }
    }
}
