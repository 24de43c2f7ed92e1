/// One rule of one bundle on one vehicle: what flapping and loops are counted for.
public struct SafetyKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var vin: String
    public var bundle: String
    public var rule: String

    public init(vin: String, bundle: String, rule: String) {
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
    }

    public var description: String { "\(vin) \(bundle)/\(rule)" }

    public static func < (a: SafetyKey, b: SafetyKey) -> Bool {
        (a.vin, a.bundle, a.rule) < (b.vin, b.bundle, b.rule)
    }
}
