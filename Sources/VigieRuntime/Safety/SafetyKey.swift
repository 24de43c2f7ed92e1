/// One rule of one bundle on one vehicle: what flapping and loops are counted for.
package struct SafetyKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var vin: String
    package var bundle: String
    package var rule: String

    package init(vin: String, bundle: String, rule: String) {
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
    }

    package var description: String { "\(vin) \(bundle)/\(rule)" }

    package static func < (a: SafetyKey, b: SafetyKey) -> Bool {
        (a.vin, a.bundle, a.rule) < (b.vin, b.bundle, b.rule)
    }
}
