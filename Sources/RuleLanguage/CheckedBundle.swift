import VehicleData

// The checked bundle: what the checker produces from the AST, and what the engine,
// the compiler and every later phase consume. Names are resolved, units converted to
// each field's canonical unit, durations in seconds. It is never mutated after checking.

public struct CheckedBundle: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// IANA time-zone identifier (`UTC` when the file gives none).
    public var timeZone: String
    public var vehicles: VehicleSelection
    public var zones: [Zone]
    public var schedules: [Schedule]
    public var rules: [CheckedRule]
    /// Actions that open the car to others, opted in explicitly by the bundle
    /// (see docs/safety.md); empty by default.
    public var allowedSensitiveActions: Set<String>
    /// `notify_to`: the channels of this bundle's notify actions that name none (nil:
    /// `notifications.default` of the configuration).
    public var notifyTo: [String]? = nil
    /// Every channel the bundle names (`notify_to`, `notify: {to:}`), with where: checked
    /// against the configuration's channels by `ChannelCheck`.
    public var channelReferences: [ChannelReference] = []
    public var range: SourceRange

    public init(name: String, description: String? = nil, timeZone: String = "UTC",
                vehicles: VehicleSelection = .all, zones: [Zone] = [], schedules: [Schedule] = [],
                rules: [CheckedRule], allowedSensitiveActions: Set<String> = [], range: SourceRange) {
        self.name = name
        self.description = description
        self.timeZone = timeZone
        self.vehicles = vehicles
        self.zones = zones
        self.schedules = schedules
        self.rules = rules
        self.allowedSensitiveActions = allowedSensitiveActions
        self.range = range
    }
}

public enum VehicleSelection: Sendable, Hashable {
    case all
    case selectors([VehicleSelector])
}

public enum VehicleSelector: Sendable, Hashable {
    case vin(String)
    case tag(String)
}

public struct Zone: Sendable, Hashable {
    public var name: String
    public var latitude: Double
    public var longitude: Double
    public var radiusMeters: Double
    public init(name: String, latitude: Double, longitude: Double, radiusMeters: Double) {
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
        self.radiusMeters = radiusMeters
    }
}

public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable {
    case mon = 1, tue, wed, thu, fri, sat, sun
    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }
    /// `Mon`, `Tue`, … as written in rule files and in the API's `TimeTriggerEntry`.
    public var name: String { ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][rawValue - 1] }
}

/// A weekly window `[from, to)` in the bundle's time zone (SEMANTICS.md "Truth").
/// `to <= from` wraps past midnight and belongs to the day it opens; `from == to` is
/// the whole day; `to == 1440` is midnight.
public struct Schedule: Sendable, Hashable {
    /// The schedule's name, or `inline@line:col` for an inline `during:` schedule.
    public var name: String
    public var days: Set<Weekday>
    /// Minutes since midnight, 0..<1440.
    public var fromMinute: Int
    /// Minutes since midnight, 0...1440.
    public var toMinute: Int
    public init(name: String, days: Set<Weekday> = Set(Weekday.allCases), fromMinute: Int, toMinute: Int) {
        self.name = name
        self.days = days
        self.fromMinute = fromMinute
        self.toMinute = toMinute
    }
}

public enum RuleMode: String, Sendable, Hashable, CaseIterable {
    case single, queued, restart
}

public struct CheckedRule: Sendable, Hashable {
    public var id: String
    public var description: String?
    /// The full condition, `during` already folded in as `and within(...)`.
    public var condition: Condition
    /// The `during:` schedules, kept separately for the compiler and for docs.
    public var during: [Schedule]
    public var forSeconds: Double?
    public var repeatSeconds: Double?
    public var cooldownSeconds: Double?
    public var maxPerDay: Int?
    public var mode: RuleMode
    public var actions: [Action]
    public var range: SourceRange

    public init(id: String, description: String? = nil, condition: Condition, during: [Schedule] = [],
                forSeconds: Double? = nil, repeatSeconds: Double? = nil, cooldownSeconds: Double? = nil,
                maxPerDay: Int? = nil, mode: RuleMode = .single, actions: [Action], range: SourceRange) {
        self.id = id
        self.description = description
        self.condition = condition
        self.during = during
        self.forSeconds = forSeconds
        self.repeatSeconds = repeatSeconds
        self.cooldownSeconds = cooldownSeconds
        self.maxPerDay = maxPerDay
        self.mode = mode
        self.actions = actions
        self.range = range
    }
}

public enum CompareOp: String, Sendable, Hashable, CaseIterable {
    case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!="
}

/// A literal a field is compared with, already in the field's canonical unit.
public enum Literal: Sendable, Hashable {
    case number(Double)
    case bool(Bool)
    /// An enum member, by name (validated against the field's members).
    case member(String)
}

/// A typed, resolved condition. Comparisons are always `field op literal` (the checker
/// flips `20 > battery.level`).
public indirect enum Condition: Sendable, Hashable {
    case constant(Bool)
    /// A boolean field used bare (`charging.plugged`): true when the field is true.
    case isTrue(FieldID)
    case compare(FieldID, CompareOp, Literal)
    /// `field in [..]`, or `not in` when `negated`.
    case member(FieldID, [Literal], negated: Bool)
    /// `has(alerts, Member)`: an `enumSet` field contains the member.
    case contains(FieldID, String)
    case inside(Zone)
    case entered(Zone)
    case left(Zone)
    case changed(FieldID)
    /// `age(field) op duration` (SEMANTICS.md "Data time and age"): the evaluation instant
    /// minus the data time of the field's value, compared with `seconds`.
    case age(FieldID, CompareOp, seconds: Double)
    case within(Schedule)
    case and([Condition])
    case or([Condition])
    case not(Condition)
}

public enum Action: Sendable, Hashable {
    case remote(RemoteCommand)
    case notify(Template)
}

/// One remote command; `body` renders it exactly as POSTed (SEMANTICS.md).
public enum RemoteCommand: Sendable, Hashable {
    case chargeStart
    case chargeStop
    /// `charge: {at: "HH:MM"}`: the next such wall-clock time in the bundle's zone.
    case chargeAt(hour: Int, minute: Int)
    case chargePreferences(level: String?, type: String?)
    case preconditionStart
    case preconditionStop
    case doorsLock
    case doorsUnlock
    case hornOn
    case lightsOn
    case wakeUp
    case navigate(latitude: Double, longitude: Double, driverApproval: Bool)
}

/// A `notify` message template, already split into parts.
public struct Template: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case vin
        case rule
        case bundle
        case field(FieldID)
        /// `{{age(field)}}`: the age of the field's value at the firing (SEMANTICS.md
        /// "Data time and age"), as `2h05m`.
        case age(FieldID)
        /// `{{time}}`: the firing instant in the bundle's time zone, `HH:MM`.
        case time
        /// `{{vehicle.name}}`: the inventory's `name`, else the VIN.
        case vehicleName
    }
    public var parts: [Part]
    public var source: String
    /// `notify: {title: …}`: the title template's parts (nil: none).
    public var title: [Part]?
    /// `notify: {to: […]}`: the channels (nil: the bundle's `notify_to`, else the default).
    public var to: [String]?
    /// `notify: {priority: …}`: `low`, `normal`, `high` or `urgent` (nil: not given, normal).
    public var priority: String?
    public init(parts: [Part], source: String, title: [Part]? = nil, to: [String]? = nil, priority: String? = nil) {
        self.parts = parts
        self.source = source
        self.title = title
        self.to = to
        self.priority = priority
    }
}

/// A channel name in a rule file and where it is written.
public struct ChannelReference: Sendable, Hashable {
    public var name: String
    public var range: SourceRange
    public init(name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
}
