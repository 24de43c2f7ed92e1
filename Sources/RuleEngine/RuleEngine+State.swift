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

    /// Armed, pending or latched (`RuleSlot`) of rule `g` for vehicle `v`: two bits.
    @inline(__always) func phase(_ v: Int, _ g: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: block(v)[layout.phases + g >> 5] >> UInt64((g & 31) << 1)) & 3
    }

    @inline(__always) func setPhase(_ v: Int, _ g: Int, _ p: UInt8) {
        let word = block(v) + layout.phases + g >> 5
        let shift = UInt64((g & 31) << 1)
        word.pointee = word.pointee & ~(3 << shift) | UInt64(p) << shift
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

    /// Stores field `f`'s packed value for vehicle `v` with its data time `t`: in the hot
    /// block when a rule reads it, in the cold slots otherwise.
    @inline(__always) func store(vehicle v: Int, field f: Int, _ a: Double, _ b: Double, at t: Millis) {
        let p = block(v)
        p[layout.known + f >> 6] |= 1 << UInt64(f & 63)
        let h = Int(layout.hotIndex[f])
        guard h >= 0 else {
            cold[v * layout.coldCount + Int(layout.coldIndex[f])] = FieldSlot(a: a, b: b, at: t)
            return
        }
        p[layout.values + h] = a.bitPattern
        if layout.isPoint[f] { p[layout.values + h + 1] = b.bitPattern }
        p[Int(layout.atWord[f])] = UInt64(bitPattern: t)
    }

    /// Sets the data time of field `f` of vehicle `v` (already stored).
    @inline(__always) func setDataTime(vehicle v: Int, field f: Int, _ t: Millis) {
        let h = Int(layout.hotIndex[f])
        guard h >= 0 else {
            cold[v * layout.coldCount + Int(layout.coldIndex[f])].at = t
            return
        }
        block(v)[Int(layout.atWord[f])] = UInt64(bitPattern: t)
    }

    /// Field `f` of vehicle `v` as stored (packed value, data time), nil when never
    /// observed.
    func slot(vehicle v: Int, field f: Int) -> FieldSlot? {
        guard isKnown(v, f) else { return nil }
        let h = Int(layout.hotIndex[f])
        guard h >= 0 else { return cold[v * layout.coldCount + Int(layout.coldIndex[f])] }
        let p = block(v)
        return FieldSlot(a: Double(bitPattern: p[layout.values + h]),
                         b: layout.isPoint[f] ? Double(bitPattern: p[layout.values + h + 1]) : 0,
                         at: Millis(bitPattern: p[Int(layout.atWord[f])]))
    }
}
