import Foundation
import OutcomeStore
import VehicleData

/// What `vigie log` shows of a notify action's deliveries (docs/notifications.md), one
/// per channel: its status, attempts, the last answer, and the delivery id the receiver
/// deduplicates on.
///
///       notify "Battery at 18 %"
///         -> phone  delivered (1 attempt, id ntf_3f2a…)
///         -> ops    retrying at 2026-03-02T22:06:10Z (2 attempts, id ntf_9b1c…): HTTP 503 Service Unavailable
package enum LogDeliveries {
    /// Firing id → its deliveries, read for the decisions shown.
    package static func byFiring(_ store: any RuntimeStore,
                                _ decisions: [LoggedDecision]) async throws -> [Int64: [NotificationDeliveryRecord]] {
        let ids = decisions.compactMap { $0.firing.event == "fired" ? $0.firing.id : nil }
        return Dictionary(grouping: try await store.notificationDeliveries(firingIds: ids)) { $0.firingId ?? 0 }
    }

    /// The lines under the notify action at `position` of a decision (empty without deliveries).
    package static func lines(_ logged: LoggedDecision, position: Int,
                             _ deliveries: [Int64: [NotificationDeliveryRecord]]) -> String {
        guard let firingId = logged.firing.id,
              let actionId = logged.actionRecords.first(where: { $0.position == position })?.id else { return "" }
        let mine = (deliveries[firingId] ?? []).filter { $0.actionId == actionId }
        let width = mine.map(\.channel.count).max() ?? 0
        return mine.map { d in
            "    -> " + d.channel.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary(d) + "\n"
        }.joined()
    }

    /// `delivered (1 attempt, id ntf_…)`, `retrying at … (2 attempts, id ntf_…): HTTP 503 …`.
    static func summary(_ d: NotificationDeliveryRecord) -> String {
        var words = d.status.rawValue
        if d.status == .retrying { words += " at \(Timestamp.format(d.notBefore))" }
        words += " (\(d.attempts) attempt\(d.attempts == 1 ? "" : "s"), id \(d.deliveryId))"
        if d.status != .delivered, let detail = d.lastDetail { words += ": \(detail)" }
        return words
    }

    /// The decision's JSON line with `"deliveries"` added when it has any: one object per
    /// delivery, `{"action", "channel", "deliveryId", "status", "attempts", "notBefore",
    /// "finishedAt", "httpStatus", "detail"}` (`action`: the notify action's index).
    package static func json(_ value: JSONValue, _ logged: LoggedDecision,
                            _ deliveries: [Int64: [NotificationDeliveryRecord]]) -> JSONValue {
        guard let firingId = logged.firing.id, let mine = deliveries[firingId], !mine.isEmpty,
              case .object(var object) = value else { return value }
        let positions = Dictionary(logged.actionRecords.compactMap { r in r.id.map { ($0, r.position) } },
                                   uniquingKeysWith: { a, _ in a })
        object["deliveries"] = .array(mine.map { d in
            func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
            return .object([
                "action": d.actionId.flatMap { positions[$0] }.map { .number(Double($0)) } ?? .null,
                "channel": .string(d.channel),
                "deliveryId": .string(d.deliveryId),
                "status": .string(d.status.rawValue),
                "attempts": .number(Double(d.attempts)),
                "notBefore": d.status.isFinal ? .null : .string(Timestamp.format(d.notBefore)),
                "finishedAt": optional(d.finishedAt.map(Timestamp.format)),
                "httpStatus": d.lastHTTPStatus.map { .number(Double($0)) } ?? .null,
                "detail": optional(d.lastDetail),
            ])
        })
        return .object(object)
    }
}
