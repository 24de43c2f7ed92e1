import Foundation
import VehicleData

/// The generic webhook's JSON body (DESIGN.md "Notifications"), keys sorted:
/// `{"type": "notification" | "alert", "id", "at" (RFC 3339 UTC), "vin", "vehicle",
/// "bundle", "rule", "title", "text", "priority"}`, absent values as null; an alert adds
/// `"alert": KIND` and `"state": "firing" | "resolved"`. Home Assistant's webhook trigger
/// gets the same body.
package enum WebhookPayload {
    package static func body(_ message: NotificationMessage) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(message.id),
            "at": .string(rfc3339(message.at)),
            "vin": NotificationJSON.optional(message.vin),
            "vehicle": NotificationJSON.optional(message.vehicle),
            "bundle": NotificationJSON.optional(message.bundle),
            "rule": NotificationJSON.optional(message.rule),
            "title": NotificationJSON.optional(message.title),
            "text": .string(message.text),
            "priority": .string(message.priority.rawValue),
        ]
        switch message.kind {
        case .notification:
            members["type"] = .string("notification")
        case .alert(let kind, let state):
            members["type"] = .string("alert")
            members["alert"] = .string(kind)
            members["state"] = .string(state.rawValue)
        }
        return .object(members)
    }

    /// `2026-12-07T01:25:26Z` (whole seconds, UTC).
    package static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
