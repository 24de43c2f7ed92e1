import RuleLanguage

extension RuleEngine {
    /// The first instant the engine sees: schedules start from it.
    func start(at t: Millis) {
        now = t
        for s in schedules.indices {
            schedules[s].open = schedules[s].clock.within(schedules[s].schedule, at: t)
            scheduleOpen[s] = schedules[s].open
            schedules[s].next = schedules[s].clock.nextBoundary(of: schedules[s].schedule, after: t)
            if let next = schedules[s].next {
                timers.insert(EngineTimer(at: next, kind: EngineTimer.boundary, index: Int32(s), vehicle: 0))
            }
        }
        nextScheduleBoundary = schedules.compactMap(\.next).min() ?? .max
    }

    /// Brings every schedule's truth up to instant `t`.
    func syncSchedules(_ t: Millis) {
        guard t >= nextScheduleBoundary else { return }
        var earliest = Millis.max
        for s in schedules.indices {
            if let next = schedules[s].next, next <= t {
                schedules[s].open = schedules[s].clock.within(schedules[s].schedule, at: t)
                scheduleOpen[s] = schedules[s].open
                schedules[s].next = schedules[s].clock.nextBoundary(of: schedules[s].schedule, after: t)
            }
            if let next = schedules[s].next { earliest = min(earliest, next) }
        }
        nextScheduleBoundary = earliest
    }

    /// The instant of the next timer (a `for` end, a repeat, a schedule boundary, an age
    /// threshold), nil when none is set: a live driver may sleep until then.
    public var nextTimerAt: Millis? { timers.min?.at }

    /// Runs the timers due at or before `t`, in order.
    func runTimers(through t: Millis) {
        while let (top, lane) = timers.popMinInLane(through: t) {
            if lane >= 0, let later = timers.peek(lane: lane, offset: RuleEngine.timerPrefetchDistance) {
                prefetchTimer(later)
            }
            now = top.at
            syncSchedules(top.at)
            switch top.kind {
            case EngineTimer.forEnd, EngineTimer.repeatInstant:
                let v = Int(top.vehicle), g = Int(top.index)
                let slot = ruleSlots[v * rules.count + g]
                let phase = top.kind == EngineTimer.forEnd ? RuleSlot.pending : RuleSlot.latched
                guard self.phase(v, g) == phase, slot.timerAt == top.at else { continue }
                evaluate(rule: g, vehicle: v, at: top.at,
                         cause: top.kind == EngineTimer.forEnd ? .forEnd : .repeatInstant)
            default:
                runBoundaries(first: top)
            }
        }
    }

    /// Runs every schedule boundary and age threshold due at `first.at` (SEMANTICS.md:
    /// one class, by rule order): the rules using those schedules for every vehicle their
    /// bundle has seen, in the order first seen, and the rules whose age test changes
    /// then for their vehicle. An age timer whose field got a newer data time since it was
    /// set is no longer a threshold: dropped.
    private func runBoundaries(first: EngineTimer) {
        var due = [first]
        while let top = timers.min, top.at == first.at, top.kind == EngineTimer.boundary {
            _ = timers.popMin(through: top.at)
            due.append(top)
        }
        var affected = Set<Int>()
        var aged: [Int: Set<Int>] = [:]
        for timer in due {
            if timer.index < 0 {
                let g = Int(-timer.index - 1), v = Int(timer.vehicle)
                if isAgeThreshold(rule: g, vehicle: v, at: first.at) { aged[g, default: []].insert(v) }
                continue
            }
            let s = Int(timer.index)
            affected.formUnion(schedules[s].rules)
            if let next = schedules[s].clock.nextBoundary(of: schedules[s].schedule, after: first.at) {
                timers.insert(EngineTimer(at: next, kind: EngineTimer.boundary, index: Int32(s), vehicle: 0))
            }
        }
        for g in affected.union(aged.keys).sorted() {
            if affected.contains(g) {
                for v in 0..<vins.count where isObserved(v) && sees(v, g) {
                    evaluate(rule: g, vehicle: v, at: first.at, cause: .boundary)
                }
            } else {
                for v in aged[g]!.sorted() where isObserved(v) && sees(v, g) {
                    evaluate(rule: g, vehicle: v, at: first.at, cause: .age)
                }
            }
        }
    }

    /// The instants at which `age(f) cmp d` changes for a value with data time `t`: `>`
    /// and `<=` just after t + d (one millisecond later), `>=` and `<` at t + d, `==` and
    /// `!=` at both.
    static func ageThresholds(dataTime t: Millis, _ cmp: LoweredCondition.Cmp, _ ms: Millis) -> [Millis] {
        switch cmp {
        case .gt, .le: return [t + ms + 1]
        case .ge, .lt: return [t + ms]
        case .eq, .ne: return [t + ms, t + ms + 1]
        }
    }

    /// Sets the age timers of field `f` of vehicle `v` (its data time as stored) after `now`.
    func scheduleAgeTimers(vehicle v: Int, field f: Int, after now: Millis) {
        guard let dataTime = slot(vehicle: v, field: f)?.at else { return }
        for w in 0..<words {
            var bits = ageFieldRules[f * words + w] & activeWord(v, w)
            while bits != 0 {
                let g = w * 64 + bits.trailingZeroBitCount
                bits &= bits - 1
                var set = Set<Millis>()
                for a in rules[g].program.ages where a.field == f {
                    for at in Self.ageThresholds(dataTime: dataTime, a.cmp, a.ms) where at > now && set.insert(at).inserted {
                        timers.insert(EngineTimer(at: at, kind: EngineTimer.boundary, index: -Int32(g) - 1, vehicle: Int32(v)))
                    }
                }
            }
        }
    }

    /// Whether `t` is an age threshold of rule `g` for vehicle `v` with its current data times.
    func isAgeThreshold(rule g: Int, vehicle v: Int, at t: Millis) -> Bool {
        rules[g].program.ages.contains { a in
            guard let d = slot(vehicle: v, field: a.field)?.at else { return false }
            return Self.ageThresholds(dataTime: d, a.cmp, a.ms).contains(t)
        }
    }

    func schedule(_ kind: UInt8, rule g: Int, vehicle v: Int, at t: Millis) {
        let lane = kind == EngineTimer.forEnd ? rules[g].forLane : rules[g].repeatLane
        timers.insert(EngineTimer(at: t, kind: kind, index: Int32(g), vehicle: Int32(v)), lane: lane)
    }
}
