import VehicleData

/// The engine's durable state: enough to restore it so that it makes exactly the
/// decisions an uninterrupted run makes (pending timers are implied by the rule states).
/// Plain Codable; times are milliseconds since the epoch.
public struct EngineSnapshot: Sendable, Hashable, Codable {
    public var version: Int
    /// Every timer at or before this instant has run (nil: the engine saw nothing yet).
    public var now: Millis?
    /// Vehicles in the order the engine first saw them (that order breaks timer ties).
    public var vehicles: [VehicleSnapshot]

    public init(version: Int = 1, now: Millis?, vehicles: [VehicleSnapshot]) {
        self.version = version
        self.now = now
        self.vehicles = vehicles
    }
}

/// One vehicle's state: its latest field values and the state of every rule that
/// sees it and is not in its initial state.
public struct VehicleSnapshot: Sendable, Hashable, Codable {
    public var vin: String
    public var fields: [FieldSnapshot]
    public var rules: [RuleStateSnapshot]
    public init(vin: String, fields: [FieldSnapshot], rules: [RuleStateSnapshot]) {
        self.vin = vin
        self.fields = fields
        self.rules = rules
    }
}

/// A field's latest value (`number`, `bool`, enum member `string`, set `[string]`,
/// point `{lat, lon}`) and its data time (`at`: when the vehicle measured it, SEMANTICS.md
/// "Data time and age"; the observation instant when the input does not say).
public struct FieldSnapshot: Sendable, Hashable, Codable {
    public var field: String
    public var value: JSONValue
    public var at: Millis
    public init(field: String, value: JSONValue, at: Millis) {
        self.field = field
        self.value = value
        self.at = at
    }
}

public enum RulePhase: String, Sendable, Hashable, Codable {
    case armed, pending, latched
}

/// One rule's life for one vehicle (SEMANTICS.md "The life of a rule").
public struct RuleStateSnapshot: Sendable, Hashable, Codable {
    public var bundle: String
    public var rule: String
    public var phase: RulePhase
    /// `pending`: when the condition became true (the `for` timer is at this + for).
    public var pendingSince: Millis?
    /// `latched` with `repeat`: the next repeat instant.
    public var nextRepeatAt: Millis?
    /// The last fired decision (cooldown).
    public var lastFiredAt: Millis?
    /// The calendar day (days since 1970-01-01 in the bundle's zone) of `firedToday`.
    public var day: Int?
    /// Fired decisions on `day` (max_per_day).
    public var firedToday: Int
    /// Firings whose actions have not completed (mode single/queued/restart).
    public var running: Int

    public init(bundle: String, rule: String, phase: RulePhase, pendingSince: Millis? = nil,
                nextRepeatAt: Millis? = nil, lastFiredAt: Millis? = nil, day: Int? = nil,
                firedToday: Int = 0, running: Int = 0) {
        self.bundle = bundle
        self.rule = rule
        self.phase = phase
        self.pendingSince = pendingSince
        self.nextRepeatAt = nextRepeatAt
        self.lastFiredAt = lastFiredAt
        self.day = day
        self.firedToday = firedToday
        self.running = running
    }
}
