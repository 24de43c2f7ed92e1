import Foundation
import VehicleData

/// A decision as the store takes it and gives it back: the shape of one line of
/// `vigie dry-run --format json` (DESIGN.md, "Command-line contract").
package struct DecisionRecord: Sendable, Hashable {
    package enum Event: String, Sendable, Hashable, CaseIterable {
        case fired, suppressed
    }

    package enum Action: Sendable, Hashable {
        /// A remote command: its request body exactly as POSTed.
        case remote(JSONValue)
        /// A rendered notify text.
        case notify(String)
    }

    package var at: Date
    package var vin: String
    package var bundle: String
    package var rule: String
    package var event: Event
    /// `cooldown`, `max_per_day`, … for a suppression.
    package var reason: String?
    package var actions: [Action]
    /// The inbox notification that led to it, when there is one.
    package var inboxId: Int64?
    /// Per notify action (by its index in `actions`): where and how to deliver it. The
    /// store enqueues one delivery per channel in the decision's own transaction (with
    /// `.enqueue`); a notify action without one is recorded only.
    package var notifications: [Int: NotificationRequest] = [:]

    package init(at: Date, vin: String, bundle: String, rule: String, event: Event, reason: String? = nil,
                actions: [Action], inboxId: Int64? = nil) {
        self.at = at
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.event = event
        self.reason = reason
        self.actions = actions
        self.inboxId = inboxId
    }
}

extension DecisionRecord.Action {
    /// `{"remote": body}` or `{"notify": text}`.
    package var jsonValue: JSONValue {
        switch self {
        case .remote(let body): return .object(["remote": body])
        case .notify(let text): return .object(["notify": .string(text)])
        }
    }

    /// Reads `{"remote": body}` or `{"notify": text}` back.
    package init?(jsonValue: JSONValue) {
        if let body = jsonValue["remote"] {
            self = .remote(body)
        } else if let text = jsonValue["notify"]?.stringValue {
            self = .notify(text)
        } else {
            return nil
        }
    }

    /// `remote` or `notify` (the `action.kind` column).
    package var kind: String {
        switch self {
        case .remote: return "remote"
        case .notify: return "notify"
        }
    }

    /// What goes in `action.payload`: the JSON body, or the text.
    package var payload: String {
        switch self {
        case .remote(let body): return StoreJSON.string(body)
        case .notify(let text): return text
        }
    }
}

extension DecisionRecord {
    /// The decision as one JSON object with the keys of the dry-run JSON Lines.
    package var jsonValue: JSONValue {
        .object([
            "at": .string(Timestamp.format(at)),
            "vin": .string(vin),
            "bundle": .string(bundle),
            "rule": .string(rule),
            "event": .string(event.rawValue),
            "reason": reason.map(JSONValue.string) ?? .null,
            "actions": .array(actions.map(\.jsonValue)),
        ])
    }
}
