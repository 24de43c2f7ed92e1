import RuleLanguage
import VehicleData

extension RuleEngine {
    /// Applies one observation to vehicle `v` and evaluates the rules it may affect: the
    /// rules with a field test that flips or a field that becomes known, the rules with an
    /// event not false now or at their previous evaluation, and every rule at a vehicle's
    /// first observation (the reference mode evaluates them all).
    /// Each value is stored with its data time: `dataTimes[field]` when given, moved back
    /// to `t` when after it (clock skew), else `t` (SEMANTICS.md "Data time and age").
    func observe<C: Collection>(vehicle v: Int, at t: Millis, values: C, dataTimes: [FieldID: Millis]? = nil)
    where C.Element == (FieldID, FieldValue) {
        let isNew = !isObserved(v)
        markObserved(v)
        // `--explain` shows every evaluation: explained runs evaluate every rule (the
        // skipped ones could not change their decisions).
        let everything = isNew || options.reference || !explainRules.isEmpty
        for w in 0..<words {
            maskScratch[w] = everything ? .max : dirtyWord(v, w)
            changedRulesScratch[w] = 0
        }
        changedFields.removeAll()
        let ages = usesAge
        if ages { ageFieldsScratch.removeAll() }
        previousPosition = nil
        let position = positionField?.index ?? -1
        for (field, value) in values {
            let f = field.index
            guard let (a, b) = codec.encode(field, value) else { continue }
            let h = Int(layout.hotIndex[f])
            guard h >= 0 else {
                // No rule reads it: kept for snapshots and notify texts only.
                store(vehicle: v, field: f, a, b, at: t)
                continue
            }
            let known = isKnown(v, f)
            let p = block(v) + layout.values + h
            let oldA = Double(bitPattern: p[0])
            let oldB = layout.isPoint[f] ? Double(bitPattern: p[1]) : 0
            if !known || oldA != a || oldB != b {
                if known { changedScratch[f] = true }
                changedFields.append(f, count: 1)
                if f == position {
                    zoneEvents(old: known ? (oldA, oldB) : nil, new: (a, b))
                    if known { previousPosition = (oldA, oldB) } else { positionIsFirst = true }
                }
                if known {
                    flips(field: f, old: oldA, new: a)
                    for w in 0..<words {
                        maskScratch[w] |= triggers.changedEvent[f * words + w]
                        changedRulesScratch[w] |= triggers.changedEvent[f * words + w]
                    }
                } else {
                    for w in 0..<words { maskScratch[w] |= triggers.fieldRules[f * words + w] }
                }
            }
            store(vehicle: v, field: f, a, b, at: t)
            if ages && hasAgeRules[f] {
                // A new data time: the age tests of the field may flip.
                for w in 0..<words { maskScratch[w] |= ageFieldRules[f * words + w] }
                ageFieldsScratch.append(f, count: 1)
            }
        }
        if let dataTimes, !dataTimes.isEmpty { applyDataTimes(vehicle: v, at: t, dataTimes, values: values) }
        eventsActive = true
        // The rule slots of the rules about to be evaluated: their misses overlap (a rule
        // that changes phase or decides reads or writes its slot; its notify text may
        // copy the VIN).
        for w in 0..<words {
            var bits = maskScratch[w] & activeWord(v, w)
            if bits & vinRules[w] != 0 { prefetchVIN(v) }
            while bits != 0 {
                prefetchRuleSlot(v, w * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        for w in 0..<words {
            var bits = maskScratch[w] & activeWord(v, w)
            while bits != 0 {
                let g = w * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                evaluate(rule: g, vehicle: v, at: t, cause: .observation)
            }
        }
        eventsActive = false
        // Rules evaluated now with an event not false: evaluate them again at the next
        // observation (events false then).
        for w in 0..<words { setDirtyWord(v, w, changedRulesScratch[w] & activeWord(v, w)) }
        if ages {
            for f in ageFieldsScratch.elements { scheduleAgeTimers(vehicle: v, field: f, after: t) }
        }
        var moved = false
        for f in changedFields.elements {
            changedScratch[f] = false
            if f == position { moved = true }
        }
        if moved {
            for z in zones.indices { zoneEventScratch[z] = 0 }
        }
        previousPosition = nil
        positionIsFirst = false
    }

    /// Gives the values just stored their data times (stored with `t` by the loop, which
    /// stays free of the lookup for the many observations without any).
    private func applyDataTimes<C: Collection>(vehicle v: Int, at t: Millis, _ dataTimes: [FieldID: Millis], values: C)
    where C.Element == (FieldID, FieldValue) {
        for (field, value) in values {
            guard let d = dataTimes[field], d < t, codec.encode(field, value) != nil else { continue }
            setDataTime(vehicle: v, field: field.index, d)
        }
    }

    /// Adds to the rules to evaluate those reading field `f` whose truth may change from
    /// its known value `old` to `new`: event rules, and rules with a test that flips.
    private func flips(field f: Int, old: Double, new: Double) {
        let table = triggers
        for w in 0..<words { maskScratch[w] |= table.fieldAlways[f * words + w] }
        if old.isNaN || new.isNaN {
            // NaN compares false to everything: no ordering to search; test each atom.
            for i in Int(table.atomStart[f])..<Int(table.atomStart[f + 1]) { flip(atom: i, old: old, new: new) }
            return
        }
        table.flippedComparisons(field: f, old: old, new: new) { rules in
            for w in 0..<words { maskScratch[w] |= rules[w] }
        }
        for k in Int(table.otherStart[f])..<Int(table.otherStart[f + 1]) {
            flip(atom: Int(table.otherAtoms[k]), old: old, new: new)
        }
    }

    /// Adds the rules of atom `i` when its outcome differs between `old` and `new`.
    @inline(__always)
    private func flip(atom i: Int, old: Double, new: Double) {
        let table = triggers
        let flipped: Bool
        if table.atoms[i].kind == .inside {
            let e = zoneEventScratch[Int(table.atoms[i].zone)]
            flipped = e == 1 || e == 2
        } else {
            flipped = table.holds(i, old, codec: codec) != table.holds(i, new, codec: codec)
        }
        guard flipped else { return }
        let start = Int(table.atoms[i].rulesStart)
        for w in 0..<words { maskScratch[w] |= table.atomRules[start + w] }
    }

    /// Zone events of a position update: entered (1), left (2), unknown at the first
    /// position (3), none (0).
    private func zoneEvents(old: (Double, Double)?, new: (Double, Double)) {
        for z in zones.indices {
            guard let old else {
                zoneEventScratch[z] = 3
                continue
            }
            let was = zoneTests.base[z].isInside(latitude: old.0, longitude: old.1)
            let isNow = zoneTests.base[z].isInside(latitude: new.0, longitude: new.1)
            zoneEventScratch[z] = was == isNow ? 0 : (isNow ? 1 : 2)
        }
        for z in zones.indices where zoneEventScratch[z] != 0 {
            for w in 0..<words {
                maskScratch[w] |= triggers.zoneEvent[z * words + w]
                changedRulesScratch[w] |= triggers.zoneEvent[z * words + w]
            }
        }
    }
}
