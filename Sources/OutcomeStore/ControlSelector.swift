/// Which holds a `vigie resume` lifts: every given part must equal the hold's own
/// (a hold on all vehicles has no vin, so `--vin V` does not lift it). No part: all holds.
public struct ControlSelector: Sendable, Hashable {
    public var vin: String?
    public var bundle: String?
    /// A rule id of `bundle` (set only with `bundle`): selects the loop stops of that rule.
    public var rule: String?

    public init(vin: String? = nil, bundle: String? = nil, rule: String? = nil) {
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
    }

    public var isEverything: Bool { vin == nil && bundle == nil && rule == nil }

    public func matches(_ hold: ControlHoldRecord) -> Bool {
        if let vin, hold.vin != vin { return false }
        if let bundle, hold.bundle != bundle { return false }
        if let rule, hold.rule != rule { return false }
        return true
    }
}
