import Foundation

/// The generic webhook's JSON body (DESIGN.md "Notifications"), keys sorted:
/// `{"type": "notification" | "alert", "id", "at" (RFC 3339 UTC), "vin", "vehicle",
/// "bundle", "rule", "title", "text", "priority"}`, absent values as null; an alert adds
/// `"alert": KIND` and `"state": "firing" | "resolved"`. Home Assistant's webhook trigger
/// gets the same body.
public enum WebhookPayload {
    public static func body(_ message: NotificationMessage) -> JSONBody {
        var members: [String: JSONBody] = [
            "id": .string(message.id),
            "at": .string(rfc3339(message.at)),
            "vin": .optional(message.vin),
            "vehicle": .optional(message.vehicle),
            "bundle": .optional(message.bundle),
            "rule": .optional(message.rule),
            "title": .optional(message.title),
            "text": .string(message.text),
            "priority": .string(message.priority.rawValue),
        ]
        switch message.kind {
        case .notification:
            members["type"] = "notification"
        case .alert(let kind, let state):
            members["type"] = "alert"
            members["alert"] = .string(kind)
            members["state"] = .string(state.rawValue)
        }
        return .object(members)
    }

    /// `2026-12-07T01:25:26Z` (whole seconds, UTC).
    public static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
