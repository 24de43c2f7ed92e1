import Foundation
import VehicleData

/// Telegram's Bot API (core.telegram.org/bots/api#sendmessage): `POST
/// {api_url}/bot<token>/sendMessage` with JSON `{"chat_id", "text", "parse_mode": "HTML",
/// "disable_notification"}`. The text uses parse mode HTML: the heading in `<b>…</b>`,
/// then the text, both with `&`, `<` and `>` written `&amp;`, `&lt;`, `&gt;` (the only
/// escapes HTML mode needs outside tags). A low priority sends silently. The text is cut
/// at 4,000 characters (the API takes 4,096 after entities). A 429's
/// `parameters.retry_after` is honoured.
package struct TelegramChannel: NotificationChannel {
    package let name: String
    let settings: ChannelSettings.Telegram
    let http: HTTPDelivery

    package init(name: String, settings: ChannelSettings.Telegram, http: HTTPDelivery) {
        self.name = name
        self.settings = settings
        self.http = http
    }

    /// `&` `<` `>` as HTML entities (Telegram's "HTML style").
    package static func escapeHTML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    package static func request(_ message: NotificationMessage, settings: ChannelSettings.Telegram) -> ProviderRequest {
        var text = escapeHTML(ProviderText.cut(message.text, 4000 - (message.heading?.count ?? 0)))
        if let heading = message.heading { text = "<b>\(escapeHTML(heading))</b>\n" + text }
        let body: JSONValue = .object([
            "chat_id": .string(settings.chatID),
            "text": .string(text),
            "parse_mode": .string("HTML"),
            "disable_notification": .bool(message.priority == .low),
        ])
        return ProviderRequest(url: ProviderText.join(settings.apiURL, "/bot\(settings.token.reveal())/sendMessage"),
                               headers: [.init("Content-Type", "application/json")], body: NotificationJSON.bytes(body))
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        await http.send(Self.request(message, settings: settings), refine: { response in
            guard response.status == 429 else { return nil }
            let after = ProviderText.member("parameters", "retry_after", in: response.body).flatMap(Double.init)
            return .retryable(reason: ResponseClassifier.describe(response),
                              retryAfter: after ?? ResponseClassifier.retryAfter(response, now: Date()))
        }, summary: { response in
            ProviderText.member("result", "message_id", in: response.body).map { "telegram message \($0)" }
                ?? "HTTP \(response.status)"
        })
    }
}
