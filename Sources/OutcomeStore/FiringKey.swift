/// One rule of one bundle on one vehicle. The store hands it to the engine for a fired
/// decision with no unfinished action left (`actionsCompleted`, which matters for
/// `mode: single / queued / restart`); the guardrails count flapping and loops per key
/// (`SafetyKey` in VigieRuntime). Ordered by VIN, bundle, rule.
package struct FiringKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var vin: String
    package var bundle: String
    package var rule: String

    package init(vin: String, bundle: String, rule: String) {
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
    }

    /// `VIN bundle/rule`.
    package var description: String { "\(vin) \(bundle)/\(rule)" }

    package static func < (a: FiringKey, b: FiringKey) -> Bool {
        (a.vin, a.bundle, a.rule) < (b.vin, b.bundle, b.rule)
    }
}
