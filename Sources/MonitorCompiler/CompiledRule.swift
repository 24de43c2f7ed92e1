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

    /// Polling period for a polled rule: its `for`/`repeat` (if shorter), else 300 s, never under 60 s.
    var pollEvery: Int {
        let timing = [rule.forSeconds, rule.repeatSeconds, 300].compactMap { $0 }.min()!
        return max(60, min(300, Int(timing.rounded(.down))))
    }
}
