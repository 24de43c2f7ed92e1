import RuleLanguage
import VehicleData

/// What the straightforward evaluator reads: field values as `FieldValue`s, the events
/// of the evaluation at hand, and the instant (for schedules, computed from scratch).
public struct ReferenceView {
    public var value: (FieldID) -> FieldValue?
    /// Whether this evaluation is an observation that changed the field's known value.
    public var changed: (FieldID) -> Bool
    /// Position before this observation, when the observation moved a known position.
    public var previousPosition: (latitude: Double, longitude: Double)?
    /// The observation brings the vehicle's first position.
    public var firstPosition: Bool
    /// The data time of the field's current value (SEMANTICS.md "Data time and age").
    public var dataTime: (FieldID) -> Millis? = { _ in nil }
    public var at: Millis
    public var clock: ZoneClock

    /// The same view with every event function (`entered`, `left`, `changed`) false.
    public var withoutEvents: ReferenceView {
        var view = self
        view.changed = { _ in false }
        view.previousPosition = nil
        view.firstPosition = false
        return view
    }
}

/// Evaluates a checked condition directly, by recursion over the `Condition` tree with
/// Kleene logic: the oracle of the lowered evaluator, and the source of `--explain`.
public enum ReferenceEvaluator {
    public static func evaluate(_ c: Condition, in view: ReferenceView) -> Truth {
        switch c {
        case .constant(let b): return Truth(b)
        case .isTrue(let f):
            guard let v = view.value(f) else { return .unknown }
            return Truth(v == .bool(true))
        case .compare(let f, let op, let lit):
            guard let v = view.value(f) else { return .unknown }
            return Truth(compare(v, op, lit))
        case .member(let f, let lits, let negated):
            guard let v = view.value(f) else { return .unknown }
            return Truth(lits.contains { compare(v, .eq, $0) } != negated)
        case .contains(let f, let member):
            guard case .set(let s)? = view.value(f) else { return view.value(f) == nil ? .unknown : .false }
            return Truth(s.contains(member))
        case .inside(let z):
            guard case .point(let lat, let lon)? = position(view) else { return .unknown }
            return Truth(Geo.isInside(z, latitude: lat, longitude: lon))
        case .entered(let z), .left(let z):
            if view.firstPosition { return .unknown }
            guard let old = view.previousPosition, case .point(let lat, let lon)? = position(view) else { return .false }
            let was = Geo.isInside(z, latitude: old.latitude, longitude: old.longitude)
            let isNow = Geo.isInside(z, latitude: lat, longitude: lon)
            if case .entered = c { return Truth(!was && isNow) }
            return Truth(was && !isNow)
        case .changed(let f): return Truth(view.changed(f))
        case .age(let f, let op, let seconds):
            guard let d = view.dataTime(f) else { return .unknown }
            return Truth(compare(.number(Double(view.at - d)), op, .number(seconds * 1000)))
        case .within(let s): return Truth(view.clock.within(s, at: view.at))
        case .and(let cs): return cs.reduce(Truth.true) { Truth.and($0, evaluate($1, in: view)) }
        case .or(let cs): return cs.reduce(Truth.false) { Truth.or($0, evaluate($1, in: view)) }
        case .not(let inner): return evaluate(inner, in: view).negated
        }
    }

    /// Whether an evaluation is *event-caused* (SEMANTICS.md "Truth"): the condition is
    /// definitely true, but would not be definitely true with every event function false.
    public static func isEventCaused(_ c: Condition, in view: ReferenceView) -> Bool {
        evaluate(c, in: view) == .true && evaluate(c, in: view.withoutEvents) != .true
    }

    private static func position(_ view: ReferenceView) -> FieldValue? {
        guard let p = Catalog.field(named: "position") else { return nil }
        return view.value(p.id)
    }

    static func compare(_ v: FieldValue, _ op: CompareOp, _ lit: Literal) -> Bool {
        switch (v, lit) {
        case (.number(let a), .number(let b)):
            switch op {
            case .lt: return a < b
            case .le: return a <= b
            case .gt: return a > b
            case .ge: return a >= b
            case .eq: return a == b
            case .ne: return a != b
            }
        case (.bool(let a), .bool(let b)): return op == .eq ? a == b : (op == .ne ? a != b : false)
        case (.member(let a), .member(let b)): return op == .eq ? a == b : (op == .ne ? a != b : false)
        default: return op == .ne
        }
    }
}

extension RuleEngine {
    func referenceView(vehicle v: Int, at t: Millis, bundle b: Int? = nil) -> ReferenceView {
        let events = eventsActive
        let clock = b.map { bundles[$0].clock } ?? bundles.first?.clock ?? ZoneClock(identifier: "UTC")!
        return ReferenceView(
            value: { self.value(vehicle: v, field: $0.index) },
            changed: { events && self.changedScratch[$0.index] },
            previousPosition: events ? previousPosition.map { (latitude: $0.0, longitude: $0.1) } : nil,
            firstPosition: events && positionIsFirst,
            dataTime: { self.slot(vehicle: v, field: $0.index)?.at },
            at: t, clock: clock)
    }
}
