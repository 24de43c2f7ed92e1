import RuleLanguage
import VehicleData

/// Milliseconds since 1970-01-01T00:00:00Z: the engine's only notion of time.
public typealias Millis = Int64
/// RFC 3339 timestamps ⇄ `Millis` (the parser and formatter live in VehicleData, whose
/// decoders read payload timestamps).
public typealias RFC3339 = RFC3339Time

/// What the engine decided when a rule rose (or repeated): the firing with its actions,
/// or a suppression with its reason (SEMANTICS.md "What a firing sends").
public struct Decision: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable, Codable {
        case fired, suppressed
    }

    public enum Reason: String, Sendable, Hashable, Codable {
        case cooldown
        case maxPerDay = "max_per_day"
        /// `mode: single` and the previous firing's actions are still running
        /// (docs/semantics.md). Never produced in replay, where actions complete at once.
        case running

        // Never produced by the engine: the live runtime's guardrails turn a firing into
        // a suppression with one of these (docs/safety.md, docs/serve.md).
        /// The observation that made the rule fire was older than the configured age.
        case stale
        /// The rule's condition flips too often on this vehicle; the firing is held back.
        case flapping
        /// The rule fires in a loop on this vehicle; it is stopped until resumed.
        case loop
        /// The vehicle's daily command or wake-up budget is spent.
        case budget
        /// The kill switch (`vigie pause` or `paused: true`) holds this vehicle or bundle.
        case paused
    }

    public var at: Millis
    public var vin: String
    public var bundle: String
    public var rule: String
    public var event: Event
    public var reason: Reason?
    /// The firing's actions in order; empty for a suppression.
    public var actions: [DecisionAction]
    /// `mode: restart` and the previous firing's actions were still running: the
    /// dispatcher drops what is left of them before running these.
    public var cancelsRunning: Bool
    /// The decision comes from a `repeat` instant, not from the condition rising. The
    /// runtime's guardrails count rises (flapping) and rise firings (loops) only
    /// (docs/safety.md). Not part of the replay output.
    public var isRepeat: Bool
    /// Per notify action (by its index in `actions`) whose rule gives a title, `to` or
    /// `priority`: those (DESIGN.md: dry-run and test print them in the notify action).
    public var notifyDetails: [Int: NotifyDetails] = [:]

    public init(at: Millis, vin: String, bundle: String, rule: String, event: Event,
                reason: Reason? = nil, actions: [DecisionAction], cancelsRunning: Bool = false,
                isRepeat: Bool = false) {
        self.at = at
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.event = event
        self.reason = reason
        self.actions = actions
        self.cancelsRunning = cancelsRunning
        self.isRepeat = isRepeat
    }
}

/// What a notify action adds to its text when the rule gives it: the rendered title, the
/// channels and the priority.
public struct NotifyDetails: Sendable, Hashable {
    public var title: String?
    public var to: [String]?
    public var priority: String?
    public init(title: String? = nil, to: [String]? = nil, priority: String? = nil) {
        self.title = title
        self.to = to
        self.priority = priority
    }

    /// The members added to `{"notify": TEXT}`: `title`, `to`, `priority` when given.
    public var members: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if let title { out["title"] = .string(title) }
        if let to { out["to"] = .array(to.map { .string($0) }) }
        if let priority { out["priority"] = .string(priority) }
        return out
    }
}

/// One action of a firing, ready to send: a remote request body exactly as POSTed, or a
/// rendered notify text.
public enum DecisionAction: Sendable, Hashable {
    case remote(JSONValue)
    case notify(String)
}

extension DecisionAction {
    /// `{"remote": body}` or `{"notify": text}` (DESIGN.md replay output).
    public var jsonValue: JSONValue {
        switch self {
        case .remote(let body): return .object(["remote": body])
        case .notify(let text): return .object(["notify": .string(text)])
        }
    }

    public init?(jsonValue: JSONValue) {
        if let body = jsonValue["remote"] { self = .remote(body) }
        else if let text = jsonValue["notify"]?.stringValue { self = .notify(text) }
        else { return nil }
    }
}

extension Decision {
    /// The DESIGN.md JSON Lines object: `at` (RFC 3339 UTC), `vin`, `bundle`, `rule`,
    /// `event`, `reason` (null when fired), `actions`.
    public var jsonValue: JSONValue {
        .object([
            "at": .string(RFC3339.formatUTC(at)),
            "vin": .string(vin),
            "bundle": .string(bundle),
            "rule": .string(rule),
            "event": .string(event.rawValue),
            "reason": reason.map { .string($0.rawValue) } ?? .null,
            "actions": .array(actions.enumerated().map { i, action in
                guard let details = notifyDetails[i], case .object(var members) = action.jsonValue else { return action.jsonValue }
                members.merge(details.members) { old, _ in old }
                return .object(members)
            }),
        ])
    }
}

extension Decision: Codable {
    private enum CodingKeys: String, CodingKey {
        case at, vin, bundle, rule, event, reason, actions, cancelsRunning, isRepeat
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let atText = try c.decode(String.self, forKey: .at)
        guard let at = RFC3339.parse(atText) else {
            throw DecodingError.dataCorruptedError(forKey: .at, in: c, debugDescription: "not RFC 3339: \(atText)")
        }
        let actions = try c.decode([JSONValue].self, forKey: .actions).compactMap(DecisionAction.init(jsonValue:))
        self.init(at: at, vin: try c.decode(String.self, forKey: .vin),
                  bundle: try c.decode(String.self, forKey: .bundle), rule: try c.decode(String.self, forKey: .rule),
                  event: try c.decode(Event.self, forKey: .event), reason: try c.decodeIfPresent(Reason.self, forKey: .reason),
                  actions: actions, cancelsRunning: try c.decodeIfPresent(Bool.self, forKey: .cancelsRunning) ?? false,
                  isRepeat: try c.decodeIfPresent(Bool.self, forKey: .isRepeat) ?? false)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(RFC3339.formatUTC(at), forKey: .at)
        try c.encode(vin, forKey: .vin)
        try c.encode(bundle, forKey: .bundle)
        try c.encode(rule, forKey: .rule)
        try c.encode(event, forKey: .event)
        try c.encode(reason, forKey: .reason)
        try c.encode(actions.map(\.jsonValue), forKey: .actions)
        if cancelsRunning { try c.encode(true, forKey: .cancelsRunning) }
        if isRepeat { try c.encode(true, forKey: .isRepeat) }
    }
}

/// A decision as the engine records it while it runs: plain values only, no strings and
/// no arrays (no allocation and no reference counting per decision). Rendered notify
/// texts sit in the engine's text buffer, the instants of `charge: {at:}` bodies in its
/// payload buffer; `RuleEngine.takeDecisions` reads them back as `Decision` values.
struct PackedDecision {
    static let cancelsRunningFlag: UInt8 = 1, isRepeatFlag: UInt8 = 2
    var at: Millis
    var vehicle: Int32
    /// Global rule index.
    var rule: Int32
    /// Where the firing's own action data starts in the payload buffer (see
    /// `ActionRenderer.record`); -1 when its actions are all fixed, or for a suppression.
    var payload: Int32
    var event: Decision.Event
    var reason: Decision.Reason?
    var flags: UInt8
}

/// The decisions made and not yet taken, read in place (`RuleEngine.takeDecisions(_:)`):
/// each is materialised as a `Decision` only when read as one, while a consumer that
/// only needs the instant, the vehicle or the event reads them without. Valid inside
/// the closure it is given to only, and only while that closure does not drive the
/// engine (observing there would move the records it reads).
public struct PendingDecisions: RandomAccessCollection {
    let engine: RuleEngine
    let records: UnsafeBufferPointer<PackedDecision>

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(i: Int) -> Decision { engine.materialize(records[i]) }

    public func at(_ i: Int) -> Millis { records[i].at }
    public func event(_ i: Int) -> Decision.Event { records[i].event }
    public func vehicle(_ i: Int) -> VehicleHandle { VehicleHandle(index: records[i].vehicle) }
}
