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

    /// Runs every schedule boundary due at `first.at`: the rules using those schedules,
    /// in rule order, for every vehicle their bundle has seen, in the order first seen.
    private func runBoundaries(first: EngineTimer) {
        var due = [Int(first.index)]
        while let top = timers.min, top.at == first.at, top.kind == EngineTimer.boundary {
            _ = timers.popMin(through: top.at)
            due.append(Int(top.index))
        }
        var affected = Set<Int>()
        for s in due {
            affected.formUnion(schedules[s].rules)
            if let next = schedules[s].clock.nextBoundary(of: schedules[s].schedule, after: first.at) {
                timers.insert(EngineTimer(at: next, kind: EngineTimer.boundary, index: Int32(s), vehicle: 0))
            }
        }
        for g in affected.sorted() {
            for v in 0..<vins.count where isObserved(v) && sees(v, g) {
                evaluate(rule: g, vehicle: v, at: first.at, cause: .boundary)
            }
        }
    }

    func schedule(_ kind: UInt8, rule g: Int, vehicle v: Int, at t: Millis) {
        let lane = kind == EngineTimer.forEnd ? rules[g].forLane : rules[g].repeatLane
        timers.insert(EngineTimer(at: t, kind: kind, index: Int32(g), vehicle: Int32(v)), lane: lane)
    }
}
