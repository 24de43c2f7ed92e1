import RuleLanguage
import VehicleData

extension RuleEngine {
    /// The whole durable state (pending timers are implied by the rule states).
    public func snapshot() -> EngineSnapshot {
        EngineSnapshot(now: now, vehicles: vins.indices.filter { isObserved($0) }.map { vehicleSnapshot($0) })
    }

    /// One vehicle's durable state, or nil when the engine has not seen it.
    public func snapshot(vin: String) -> VehicleSnapshot? {
        vehicleIndex[vin].flatMap { isObserved(Int($0)) ? vehicleSnapshot(Int($0)) : nil }
    }

    private func vehicleSnapshot(_ v: Int) -> VehicleSnapshot {
        var fields: [FieldSnapshot] = []
        for f in 0..<fieldCount {
            guard let slot = slot(vehicle: v, field: f), let value = value(vehicle: v, field: f) else { continue }
            fields.append(FieldSnapshot(field: Catalog.fields[f].alias, value: value.jsonValue, at: slot.at))
        }
        var states: [RuleStateSnapshot] = []
        for (g, rule) in rules.enumerated() {
            let s = ruleSlots[v * rules.count + g]
            let code = phase(v, g)
            guard code != RuleSlot.armed || s.lastFired != RuleSlot.none || s.firedToday != 0 || s.running != 0 else { continue }
            let phase: RulePhase = code == RuleSlot.pending ? .pending : (code == RuleSlot.latched ? .latched : .armed)
            let hasTimer = s.timerAt != RuleSlot.none
            states.append(RuleStateSnapshot(
                bundle: bundles[rule.bundle].bundle.name, rule: rule.rule.id, phase: phase,
                pendingSince: phase == .pending && hasTimer ? s.timerAt - (rule.forMs ?? 0) : nil,
                nextRepeatAt: phase == .latched && hasTimer ? s.timerAt : nil,
                lastFiredAt: s.lastFired == RuleSlot.none ? nil : s.lastFired,
                day: rule.maxPerDay == nil ? nil : Int(s.day), firedToday: Int(s.firedToday), running: Int(s.running)))
        }
        return VehicleSnapshot(vin: vins[v], fields: fields, rules: states)
    }

    /// Restores a snapshot into a fresh engine (built from the same bundles; rules or
    /// fields the snapshot names that no longer exist are ignored). Returns what was
    /// ignored, for the caller to warn about.
    @discardableResult
    public func restore(_ snapshot: EngineSnapshot) -> [String] {
        precondition(now == nil && vins.isEmpty, "restore into a fresh engine")
        var ignored: [String] = []
        for vs in snapshot.vehicles {
            let v = Int(addVehicle(vs.vin))
            markObserved(v)
            // Whether an event was true at a rule's last evaluation is not saved: evaluate
            // every event rule at the next observation (an extra evaluation changes nothing).
            for w in 0..<words { setDirtyWord(v, w, eventRules[w] & activeWord(v, w)) }
            for fs in vs.fields {
                guard let field = Catalog.field(named: fs.field), let value = FieldValue(json: fs.value, for: field),
                      let (a, b) = codec.encode(field.id, value) else {
                    ignored.append("\(vs.vin): field \(fs.field)")
                    continue
                }
                store(vehicle: v, field: field.id.index, a, b, at: fs.at)
            }
            for rs in vs.rules {
                guard let g = ruleIndex(bundle: rs.bundle, rule: rs.rule) else {
                    ignored.append("\(vs.vin): rule \(rs.bundle)/\(rs.rule)")
                    continue
                }
                restore(rs, rule: g, vehicle: v)
            }
        }
        if let t = snapshot.now {
            start(at: t)
            // Age thresholds are implied by the data times, like the other timers.
            if usesAge {
                for v in 0..<vins.count {
                    for f in 0..<fieldCount where hasAgeRules[f] { scheduleAgeTimers(vehicle: v, field: f, after: t) }
                }
            }
        }
        return ignored
    }

    private func restore(_ rs: RuleStateSnapshot, rule g: Int, vehicle v: Int) {
        var s = RuleSlot()
        s.lastFired = rs.lastFiredAt ?? RuleSlot.none
        s.day = Int32(rs.day ?? 0)
        s.firedToday = UInt16(clamping: rs.firedToday)
        s.running = UInt8(clamping: rs.running)
        switch rs.phase {
        case .armed: setPhase(v, g, RuleSlot.armed)
        case .pending:
            if let since = rs.pendingSince, let f = rules[g].forMs {
                setPhase(v, g, RuleSlot.pending)
                s.timerAt = since + f
                schedule(EngineTimer.forEnd, rule: g, vehicle: v, at: s.timerAt)
            }
        case .latched:
            setPhase(v, g, RuleSlot.latched)
            if let next = rs.nextRepeatAt, rules[g].repeatMs != nil {
                s.timerAt = next
                schedule(EngineTimer.repeatInstant, rule: g, vehicle: v, at: next)
            }
        }
        ruleSlots[v * rules.count + g] = s
    }
}
