import RuleLanguage
import VehicleData

extension RuleEngine {
    /// Applies one observation to vehicle `v` and evaluates the rules it may affect: the
    /// rules reading a field whose value changed, the rules using events, and every rule
    /// at a vehicle's first observation (the reference mode evaluates them all).
    func observe<C: Collection>(vehicle v: Int, at t: Millis, values: C)
    where C.Element == (FieldID, FieldValue) {
        let isNew = !observedOnce[v]
        observedOnce[v] = true
        // `--explain` shows every evaluation: explained runs evaluate every rule (the
        // skipped ones could not change their decisions).
        let everything = isNew || options.reference || !explainRules.isEmpty
        let base = v * words
        for w in 0..<words { maskScratch[w] = everything ? .max : eventDirty[base + w] }
        for w in 0..<words { changedRulesScratch[w] = 0 }
        changedFields.removeAll(keepingCapacity: true)
        previousPosition = nil
        let position = positionField?.index ?? -1
        for (field, value) in values {
            let f = field.index
            guard let (a, b) = codec.encode(field, value) else { continue }
            let k = v * fieldCount + f
            let known = slots[k].at != RuleSlot.none
            if !known || slots[k].a != a || slots[k].b != b {
                if known { changedScratch[f] = true }
                changedFields.append(f)
                if f == position {
                    zoneEvents(old: known ? (slots[k].a, slots[k].b) : nil, new: (a, b))
                    if known { previousPosition = (slots[k].a, slots[k].b) } else { positionIsFirst = true }
                }
                for w in 0..<words { changedRulesScratch[w] |= fieldRules[f][w] }
                if known {
                    flips(field: f, old: slots[k].a, new: a)
                } else {
                    for w in 0..<words { maskScratch[w] |= fieldRules[f][w] }
                }
                slots[k].a = a
                slots[k].b = b
            }
            slots[k].at = t
        }
        eventsActive = true
        withSlotView(vehicle: v) { view in
            for w in 0..<words {
                var bits = maskScratch[w] & activeRules[base + w]
                while bits != 0 {
                    let g = w * 64 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    evaluate(rule: g, vehicle: v, at: t, cause: .observation, view: view)
                }
            }
        }
        eventsActive = false
        // Event rules evaluated now with a field they read changed may have seen an
        // event true: evaluate them again at the next observation (events false then).
        for w in 0..<words { eventDirty[base + w] = changedRulesScratch[w] & eventRules[w] & activeRules[base + w] }
        var moved = false
        for f in changedFields {
            changedScratch[f] = false
            if f == position { moved = true }
        }
        if moved {
            for z in zoneEventScratch.indices { zoneEventScratch[z] = 0 }
        }
        previousPosition = nil
        positionIsFirst = false
    }

    /// Adds to the rules to evaluate those reading field `f` whose truth may change from
    /// its known value `old` to `new`: event rules, and rules with a test that flips.
    private func flips(field f: Int, old: Double, new: Double) {
        for w in 0..<words { maskScratch[w] |= fieldAlways[f][w] }
        for atom in fieldAtoms[f] {
            let flipped: Bool
            if atom.kind == .inside {
                let e = zoneEventScratch[atom.zone]
                flipped = e == 1 || e == 2
            } else {
                flipped = atom.holds(old, codec: codec) != atom.holds(new, codec: codec)
            }
            guard flipped else { continue }
            for w in 0..<words { maskScratch[w] |= atomRules[atom.rulesStart + w] }
        }
    }

    /// Zone events of a position update: entered (1), left (2), unknown at the first
    /// position (3), none (0).
    private func zoneEvents(old: (Double, Double)?, new: (Double, Double)) {
        for (z, zone) in zones.enumerated() {
            guard let old else {
                zoneEventScratch[z] = 3
                continue
            }
            let was = Geo.isInside(zone, latitude: old.0, longitude: old.1)
            let isNow = Geo.isInside(zone, latitude: new.0, longitude: new.1)
            zoneEventScratch[z] = was == isNow ? 0 : (isNow ? 1 : 2)
        }
    }
}

/// The lowered evaluator's view of one vehicle during one evaluation: raw pointers into
/// the engine's flat arrays, valid for that evaluation only (no exclusivity checks or
/// reference counting on the hot path).
struct SlotView: LoweredContext {
    let fields: UnsafePointer<FieldSlot>
    let changed: UnsafePointer<Bool>
    let zoneEvents: UnsafePointer<UInt8>
    let scheduleOpen: UnsafePointer<Bool>
    let eventsActive: Bool
    unowned(unsafe) let engine: RuleEngine

    @inline(__always) func known(_ slot: Int) -> Bool { fields[slot].at != RuleSlot.none }
    @inline(__always) func a(_ slot: Int) -> Double { fields[slot].a }
    @inline(__always) func b(_ slot: Int) -> Double { fields[slot].b }
    @inline(__always) func changed(_ slot: Int) -> Bool { eventsActive && changed[slot] }
    @inline(__always) func zoneEvent(_ z: Int) -> UInt8 { eventsActive ? zoneEvents[z] : 0 }
    func inside(zone z: Int, latitude: Double, longitude: Double) -> Bool {
        Geo.isInside(engine.zones[z], latitude: latitude, longitude: longitude)
    }
    @inline(__always) func within(_ schedule: Int) -> Bool { scheduleOpen[schedule] }
    func setContains(_ code: Double, _ member: String) -> Bool { engine.codec.set(code, contains: member) }
}

extension RuleEngine {
    /// Runs `body` with a view of vehicle `v`'s slots (pointers valid inside `body`).
    func withSlotView<R>(vehicle v: Int, _ body: (SlotView) -> R) -> R {
        let base = v * fieldCount
        return slots.withUnsafeBufferPointer { fs in
            changedScratch.withUnsafeBufferPointer { ch in
                zoneEventScratch.withUnsafeBufferPointer { ze in
                    scheduleOpen.withUnsafeBufferPointer { so in
                        body(SlotView(fields: fs.baseAddress! + base, changed: ch.baseAddress!,
                                      zoneEvents: ze.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                      scheduleOpen: so.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                      eventsActive: eventsActive, engine: self))
                    }
                }
            }
        }
    }
}
