/// Which holds a `vigie resume` lifts: every given part must equal the hold's own
/// (a hold on all vehicles has no vin, so `--vin V` does not lift it). No part: all holds.
package struct ControlSelector: Sendable, Hashable {
    package var vin: String?
    package var bundle: String?
    /// A rule id of `bundle` (set only with `bundle`): selects the loop stops of that rule.
    package var rule: String?

    package init(vin: String? = nil, bundle: String? = nil, rule: String? = nil) {
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
    }

    package var isEverything: Bool { vin == nil && bundle == nil && rule == nil }

    package func matches(_ hold: ControlHoldRecord) -> Bool {
        if let vin, hold.vin != vin { return false }
        if let bundle, hold.bundle != bundle { return false }
        if let rule, hold.rule != rule { return false }
        return true
    }
}
