/// Accessors of the per-vehicle hot blocks (see `VehicleLayout`): raw pointer reads and
/// writes, no copy-on-write checks.
extension RuleEngine {
    @inline(__always) func block(_ v: Int) -> UnsafeMutablePointer<UInt64> { hot.base + v * layout.stride }

    /// Whether vehicle `v` was observed at least once (its first observation evaluates
    /// every rule).
    @inline(__always) func isObserved(_ v: Int) -> Bool {
        block(v)[layout.flags] & VehicleLayout.observedFlag != 0
    }

    @inline(__always) func markObserved(_ v: Int) { block(v)[layout.flags] |= VehicleLayout.observedFlag }

    /// Armed, pending or latched (`RuleSlot`) of rule `g` for vehicle `v`.
    @inline(__always) func phase(_ v: Int, _ g: Int) -> UInt8 {
        UnsafeRawPointer(block(v) + layout.phases).load(fromByteOffset: g, as: UInt8.self)
    }

    @inline(__always) func setPhase(_ v: Int, _ g: Int, _ p: UInt8) {
        UnsafeMutableRawPointer(block(v) + layout.phases).storeBytes(of: p, toByteOffset: g, as: UInt8.self)
    }

    /// Whether field `f` of vehicle `v` was ever observed.
    @inline(__always) func isKnown(_ v: Int, _ f: Int) -> Bool {
        block(v)[layout.known + f >> 6] & (1 << UInt64(f & 63)) != 0
    }

    /// Word `w` of the bitset of the rules of the bundles that see vehicle `v`.
    @inline(__always) func activeWord(_ v: Int, _ w: Int) -> UInt64 { block(v)[layout.active + w] }

    /// Word `w` of the bitset of the rules of vehicle `v` that saw an event not false at
    /// their last evaluation: evaluated at its next observation even if no test flips.
    @inline(__always) func dirtyWord(_ v: Int, _ w: Int) -> UInt64 { block(v)[layout.dirty + w] }

    @inline(__always) func setDirtyWord(_ v: Int, _ w: Int, _ bits: UInt64) { block(v)[layout.dirty + w] = bits }

    /// Stores field `f`'s packed value for vehicle `v` (observed at `t`): in the cold
    /// slots always, and in the hot block when a rule reads it.
    @inline(__always) func store(vehicle v: Int, field f: Int, _ a: Double, _ b: Double, at t: Millis) {
        let k = v * fieldCount + f
        slots[k] = FieldSlot(a: a, b: b, at: t)
        let p = block(v)
        p[layout.known + f >> 6] |= 1 << UInt64(f & 63)
        let h = Int(layout.hotIndex[f])
        guard h >= 0 else { return }
        p[layout.values + h] = a.bitPattern
        if layout.isPoint[f] { p[layout.values + h + 1] = b.bitPattern }
    }
}
