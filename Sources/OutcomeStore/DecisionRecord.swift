import Foundation
import VehicleData

/// A decision as the store takes it and gives it back: the shape of one line of
/// `vigie dry-run --format json` (DESIGN.md, "Command-line contract").
public struct DecisionRecord: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable, CaseIterable {
        case fired, suppressed
    }

    public enum Action: Sendable, Hashable {
        /// A remote command: its request body exactly as POSTed.
        case remote(JSONValue)
        /// A rendered notify text.
        case notify(String)
    }

    public var at: Date
    public var vin: String
    public var bundle: String
    public var rule: String
    public var event: Event
    /// `cooldown`, `max_per_day`, … for a suppression.
    public var reason: String?
    public var actions: [Action]
    /// The inbox notification that led to it, when there is one.
    public var inboxId: Int64?
    /// Per notify action (by its index in `actions`): where and how to deliver it. The
    /// store enqueues one delivery per channel in the decision's own transaction (with
    /// `.enqueue`); a notify action without one is recorded only.
    public var notifications: [Int: NotificationRequest] = [:]

    public init(at: Date, vin: String, bundle: String, rule: String, event: Event, reason: String? = nil,
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
    public var jsonValue: JSONValue {
        switch self {
        case .remote(let body): return .object(["remote": body])
        case .notify(let text): return .object(["notify": .string(text)])
        }
    }

    /// Reads `{"remote": body}` or `{"notify": text}` back.
    public init?(jsonValue: JSONValue) {
        if let body = jsonValue["remote"] {
            self = .remote(body)
        } else if let text = jsonValue["notify"]?.stringValue {
            self = .notify(text)
        } else {
            return nil
        }
    }

    /// `remote` or `notify` (the `action.kind` column).
    public var kind: String {
        switch self {
        case .remote: return "remote"
        case .notify: return "notify"
        }
    }

    /// What goes in `action.payload`: the JSON body, or the text.
    public var payload: String {
        switch self {
        case .remote(let body): return StoreJSON.string(body)
        case .notify(let text): return text
        }
    }
}

extension DecisionRecord {
    /// The decision as one JSON object with the keys of the dry-run JSON Lines.
    public var jsonValue: JSONValue {
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
