import RuleLanguage
import VehicleData

/// The fields whose values each rule's condition reads, by bundle and rule id: what
/// serve's stale-data check looks at when the rule fires (docs/serve.md "Stale data",
/// SEMANTICS.md "Data time and age"). A zone test reads `position`. A field used only
/// inside `age(…)` is left out: the comparison reads its data time, not its value — an
/// offline alert (`age(position) > 12h`) acts on the age itself, it would otherwise
/// always be stale.
struct RuleFieldReads {
    private var reads: [String: [String: [FieldID]]] = [:]
    private static let position = Catalog.field(named: "position")?.id

    init(bundles: [CheckedBundle]) {
        for bundle in bundles {
            for rule in bundle.rules {
                var fields = Set<FieldID>()
                Self.collect(rule.condition, into: &fields)
                reads[bundle.name, default: [:]][rule.id] = fields.sorted()
            }
        }
    }

    /// The fields `rule` of `bundle` reads; empty for an unknown rule.
    func fields(bundle: String, rule: String) -> [FieldID] {
        reads[bundle]?[rule] ?? []
    }

    private static func collect(_ c: Condition, into fields: inout Set<FieldID>) {
        switch c {
        case .constant, .within, .age:
            return
        case .isTrue(let f), .compare(let f, _, _), .member(let f, _, _), .contains(let f, _), .changed(let f):
            fields.insert(f)
        case .inside, .entered, .left:
            if let p = position { fields.insert(p) }
        case .and(let cs), .or(let cs):
            for child in cs { collect(child, into: &fields) }
        case .not(let inner):
            collect(inner, into: &fields)
        }
    }
}
