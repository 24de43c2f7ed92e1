import RuleLanguage
import VehicleData

/// Where a rule runs on one vehicle.
public enum RuleRuns: String, Sendable, Hashable, Codable, Comparable {
    /// A monitor watches exactly the rule's condition.
    case server
    /// A monitor watches something weaker; the engine checks the rest locally.
    case prefilter
    /// No monitor: the engine polls the vehicle's status.
    case polling

    private var rank: Int { self == .server ? 0 : self == .prefilter ? 1 : 2 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// One rule compiled on its own, before packing onto a vehicle: its monitor formula
/// (≤ 5 triggers, never trivial) or the reason it cannot have one.
struct CompiledRule: Sendable {
    enum Kind: Sendable, Hashable {
        /// A monitor; `exact` when its formula is equivalent to the condition.
        case monitor(exact: Bool)
        /// The condition was weakened away: onChange triggers on every field it reads.
        case onChangeFallback
        case polling
        /// The condition can never be true: nothing to watch.
        case never
    }

    var bundle: String
    var rule: CheckedRule
    var kind: Kind
    var formula: TriggerFormula
    /// What the engine checks locally (parts the formula over-approximates).
    var localChecks: [String]
    /// Why the rule is not exact, or why it falls back / polls (nil when exact).
    var reason: String?
    /// Fields the engine needs to decide the rule (condition and notify templates).
    var fieldsRead: Set<FieldID>
    var usesPosition: Bool

    var key: String { "\(bundle)/\(rule.id)" }

    /// `subscribeParam.refreshEvent` the rule asks of its monitor (≥ 60 s): `for`/`repeat`
    /// when set; a prefilter without them asks 300 s.
    func refreshEvent(exact: Bool) -> Int? {
        let timing = [rule.forSeconds, rule.repeatSeconds].compactMap { $0 }.min()
        if let timing { return max(60, Int(timing.rounded(.up))) }
        return exact ? nil : 300
    }

    /// Polling period for a polled rule: its `for`/`repeat` (if shorter), else 300 s, never
    /// under 60 s; with an age test that can turn true, at most `ageRefresh`; a condition
    /// made only of age tests (and schedules) polls at `ageRefresh` alone, since its
    /// thresholds, `for` and `repeat` are local timers that need no data.
    var pollEvery: Int {
        let timing = [rule.forSeconds, rule.repeatSeconds, 300].compactMap { $0 }.min()!
        let base = max(60, min(300, Int(timing.rounded(.down))))
        guard let age = ageRefresh else { return base }
        return RuleCompiler.valueReads(rule.condition).isEmpty && !RuleCompiler.conditionUsesPosition(rule.condition)
            ? age : min(base, age)
    }

    /// Status polling that keeps fresh the data times of an age test that turns true as
    /// data gets old (`age(f) > d`, `>=`, or `<`/`<=` under a `not`): a quarter of the
    /// smallest such d, between 60 s and 1 h; nil without one. The threshold itself is a
    /// local timer; what polling buys is the data time the API already has, so a car
    /// that did report is not taken for silent (docs/compiling.md "Age tests").
    var ageRefresh: Int? {
        guard let d = Self.staleningAges(rule.condition, positive: true).min() else { return nil }
        return max(60, min(3600, Int((d / 4).rounded(.down))))
    }

    /// The durations of the age tests that can become true as time passes.
    static func staleningAges(_ c: Condition, positive: Bool) -> [Double] {
        switch c {
        case .age(_, let op, let seconds):
            let grows: Bool
            switch op {
            case .gt, .ge: grows = positive
            case .lt, .le: grows = !positive
            case .eq, .ne: grows = true
            }
            return grows ? [seconds] : []
        case .and(let xs), .or(let xs): return xs.flatMap { staleningAges($0, positive: positive) }
        case .not(let x): return staleningAges(x, positive: !positive)
        default: return []
        }
    }
}
