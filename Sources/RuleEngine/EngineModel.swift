import RuleLanguage
import VehicleData

/// A rule as the engine runs it: lowered once, durations in milliseconds. A class, so
/// the hot path borrows it instead of copying the checked rule.
final class EngineRule {
    let bundle: Int
    let rule: CheckedRule
    let program: LoweredCondition
    let forMs: Millis?
    let repeatMs: Millis?
    let cooldownMs: Millis?
    let maxPerDay: Int?
    let bundleName: String
    let renderer: ActionRenderer
    /// The `TimerQueue` lanes of its `for` ends and repeat instants (-1: the heap).
    var forLane = -1, repeatLane = -1

    init(bundle: Int, bundleName: String, clock: ZoneClock, rule: CheckedRule, program: LoweredCondition,
         forMs: Millis?, repeatMs: Millis?, cooldownMs: Millis?, maxPerDay: Int?) {
        self.bundle = bundle
        self.bundleName = bundleName
        self.renderer = ActionRenderer(actions: rule.actions, bundle: bundleName, rule: rule.id, clock: clock)
        self.rule = rule
        self.program = program
        self.forMs = forMs
        self.repeatMs = repeatMs
        self.cooldownMs = cooldownMs
        self.maxPerDay = maxPerDay
    }

    static func millis(_ seconds: Double?) -> Millis? {
        guard let s = seconds, s > 0 else { return nil }
        return Millis((s * 1000).rounded())
    }
}

struct EngineBundle {
    let bundle: CheckedBundle
    let clock: ZoneClock
    /// Global indices of its rules, in bundle order.
    let rules: Range<Int>
    /// Cache of the local day holding the last instant asked about.
    var dayStart: Millis = .max
    var dayEnd: Millis = .min
    var day = 0
}

/// A schedule of one bundle, its current truth and next boundary.
struct EngineSchedule {
    let bundle: Int
    let schedule: Schedule
    let clock: ZoneClock
    var open = false
    var next: Millis?
    /// Global indices of the rules whose condition uses it, ascending.
    var rules: [Int] = []
}

/// One rule's life for one vehicle: 24 bytes (its phase lives apart, two bits in the
/// vehicle's hot block, so that an evaluation that changes nothing does not touch it).
struct RuleSlot {
    static let none = Millis.min
    /// `pending`: the end of `for`; `latched` with `repeat`: the next repeat instant.
    var timerAt: Millis = RuleSlot.none
    var lastFired: Millis = RuleSlot.none
    var day: Int32 = 0
    var firedToday: UInt16 = 0
    var running: UInt8 = 0

    static let armed: UInt8 = 0, pending: UInt8 = 1, latched: UInt8 = 2
}

/// A timer in the engine's priority queue. Ties: `for` ends, then repeats, then
/// schedule boundaries and age thresholds (`boundary`: `index` a schedule, or -1 - rule
/// for an age threshold of `vehicle`), run together in rule order; then the order
/// vehicles were first seen.
struct EngineTimer: Comparable {
    static let forEnd: UInt8 = 0, repeatInstant: UInt8 = 1, boundary: UInt8 = 2
    var at: Millis
    var kind: UInt8
    /// Global rule index, or schedule index for a boundary.
    var index: Int32
    var vehicle: Int32

    static func < (x: EngineTimer, y: EngineTimer) -> Bool {
        if x.at != y.at { return x.at < y.at }
        if x.kind != y.kind { return x.kind < y.kind }
        if x.index != y.index { return x.index < y.index }
        return x.vehicle < y.vehicle
    }
}

/// Why a rule is being evaluated.
public enum EvaluationCause: String, Sendable, Hashable {
    case observation, forEnd = "for", repeatInstant = "repeat", boundary = "schedule", age
}

/// One field of one vehicle: its value packed by `FieldCodec` and its data time
/// (`RuleSlot.none`: never observed).
struct FieldSlot {
    var a: Double = 0
    var b: Double = 0
    var at: Millis = RuleSlot.none
}
