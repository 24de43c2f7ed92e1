import RuleLanguage
import VehicleData

extension RuleEngine {
    /// Applies one observation to vehicle `v` and evaluates the rules it may affect: the
    /// rules reading a field whose value changed, the rules using events, and every rule
    /// at a vehicle's first observation (the reference mode evaluates them all).
    func observe(vehicle v: Int, isNew: Bool, at t: Millis, values: [(FieldID, FieldValue)]) {
        var mask = isNew || options.reference ? Array(repeating: UInt64.max, count: words) : eventRules
        var changedFields: [Int] = []
        previousPosition = nil
        for (field, value) in values {
            let f = field.index
            guard let (a, b) = codec.encode(field, value) else { continue }
            let k = v * fieldCount + f
            let known = observedAt[k] != RuleSlot.none
            let differs = !known || valueA[k] != a || valueB[k] != b
            if differs {
                if known { changedScratch[f] = true }
                changedFields.append(f)
                if f == positionField?.index {
                    zoneEvents(old: known ? (valueA[k], valueB[k]) : nil, new: (a, b))
                    if known { previousPosition = (valueA[k], valueB[k]) } else { positionIsFirst = true }
                }
                for w in 0..<words { mask[w] |= fieldRules[f][w] }
            }
            valueA[k] = a
            valueB[k] = b
            observedAt[k] = t
        }
        eventsActive = true
        let base = v * words
        for w in 0..<words {
            var bits = mask[w] & activeRules[base + w]
            while bits != 0 {
                let g = w * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                evaluate(rule: g, vehicle: v, at: t, cause: .observation)
            }
        }
        eventsActive = false
        for f in changedFields { changedScratch[f] = false }
        if !zoneEventScratch.isEmpty, changedFields.contains(where: { $0 == positionField?.index }) {
            for z in zoneEventScratch.indices { zoneEventScratch[z] = 0 }
        }
        previousPosition = nil
        positionIsFirst = false
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

/// The lowered evaluator's view of one vehicle during one evaluation.
struct SlotView: LoweredContext {
    unowned let engine: RuleEngine
    let base: Int

    @inline(__always) func known(_ slot: Int) -> Bool { engine.observedAt[base + slot] != RuleSlot.none }
    @inline(__always) func a(_ slot: Int) -> Double { engine.valueA[base + slot] }
    @inline(__always) func b(_ slot: Int) -> Double { engine.valueB[base + slot] }
    @inline(__always) func changed(_ slot: Int) -> Bool { engine.eventsActive && engine.changedScratch[slot] }
    @inline(__always) func zoneEvent(_ z: Int) -> UInt8 { engine.eventsActive ? engine.zoneEventScratch[z] : 0 }
    func inside(zone z: Int, latitude: Double, longitude: Double) -> Bool {
        Geo.isInside(engine.zones[z], latitude: latitude, longitude: longitude)
    }
    @inline(__always) func within(_ schedule: Int) -> Bool { engine.schedules[schedule].open }
    func setContains(_ code: Double, _ member: String) -> Bool { engine.codec.set(code, contains: member) }
}
