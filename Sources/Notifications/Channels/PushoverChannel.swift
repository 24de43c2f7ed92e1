import Foundation

/// Pushover's Message API (pushover.net/api): `POST {api_url}/1/messages.json`, form
/// encoded, with `token`, `user`, `message`, `title` (when there is a heading), `priority`
/// (low -1, normal 0, high 1, urgent 2: an emergency, which Pushover repeats every `retry`
/// = 60 s until acknowledged or `expire` = 3600 s), `timestamp` (the firing instant) and
/// `device` when configured. Message cut at 1,024 characters, title at 250.
package struct PushoverChannel: NotificationChannel {
    package let name: String
    let settings: ChannelSettings.Pushover
    let http: HTTPDelivery

    package init(name: String, settings: ChannelSettings.Pushover, http: HTTPDelivery) {
        self.name = name
        self.settings = settings
        self.http = http
    }

    static func priority(_ priority: NotificationPriority) -> Int {
        switch priority {
        case .low: return -1
        case .normal: return 0
        case .high: return 1
        case .urgent: return 2
        }
    }

    package static func request(_ message: NotificationMessage, settings: ChannelSettings.Pushover) -> ProviderRequest {
        var pairs: [(String, String)] = [
            ("token", settings.token.reveal()),
            ("user", settings.user.reveal()),
            ("message", ProviderText.cut(message.text, 1024)),
        ]
        if let heading = message.heading { pairs.append(("title", ProviderText.cut(heading, 250))) }
        let level = priority(message.priority)
        pairs.append(("priority", String(level)))
        if level == 2 { pairs += [("retry", "60"), ("expire", "3600")] }
        pairs.append(("timestamp", String(Int(message.at.timeIntervalSince1970))))
        if let device = settings.device { pairs.append(("device", device)) }
        return ProviderRequest(url: ProviderText.join(settings.apiURL, "/1/messages.json"),
                               headers: [.init("Content-Type", "application/x-www-form-urlencoded")],
                               body: ProviderText.form(pairs))
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        await http.send(Self.request(message, settings: settings)) { response in
            ProviderText.member("request", in: response.body).map { "pushover request \($0)" } ?? "HTTP \(response.status)"
        }
    }
}
