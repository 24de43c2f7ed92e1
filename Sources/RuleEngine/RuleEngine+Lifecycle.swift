import RuleLanguage
import VehicleData

extension RuleEngine {
    /// Evaluates rule `g` for vehicle `v` at `t` and moves it through armed → pending →
    /// latched (SEMANTICS.md "The life of a rule"). Every event is a new occurrence
    /// (SEMANTICS.md "Truth"): at an event-caused evaluation a latched rule counts as
    /// armed, and after an event-caused rise the rule is armed again at once (its repeat
    /// instants stop there: none follow an event-caused rise).
    func evaluate(rule g: Int, vehicle v: Int, at t: Millis, cause: EvaluationCause) {
        evaluations &+= 1
        evaluationAt = t
        unowned(unsafe) let rule = rules[g]
        let truth = options.reference
            ? ReferenceEvaluator.evaluate(rule.rule.condition, in: referenceView(vehicle: v, at: t, bundle: rule.bundle))
            : run(rule: g, vehicle: v)
        if !explainRules.isEmpty, let onExplain { explain(rule: g, vehicle: v, at: t, cause: cause, truth: truth, onExplain) }
        let k = v * rules.count + g
        switch phase(v, g) {
        case RuleSlot.armed:
            guard truth == .true else { return }
            start(rule: g, vehicle: v, at: t)
        case RuleSlot.pending:
            if truth != .true {
                setPhase(v, g, RuleSlot.armed)
                ruleSlots[k].timerAt = RuleSlot.none
            } else if cause == .forEnd {
                // A timer: events are false, so never event-caused.
                rise(rule: g, vehicle: v, at: t, rearm: false)
            }
        default: // latched
            if truth == .false {
                setPhase(v, g, RuleSlot.armed)
                ruleSlots[k].timerAt = RuleSlot.none
            } else if truth == .true && isEventCaused(rule: g, vehicle: v, at: t) {
                // Counts as armed: the repeat instants stop; then armed and true.
                setPhase(v, g, RuleSlot.armed)
                ruleSlots[k].timerAt = RuleSlot.none
                start(rule: g, vehicle: v, at: t, eventCaused: true)
            } else if cause == .repeatInstant {
                if truth == .true { decide(rule: g, vehicle: v, at: t, isRepeat: true) }
                ruleSlots[k].timerAt = t + rule.repeatMs!
                schedule(EngineTimer.repeatInstant, rule: g, vehicle: v, at: t + rule.repeatMs!)
            }
        }
    }

    /// Armed and definitely true at `t`: pending with `for`, else a rise (`eventCaused`:
    /// already known, else worked out here).
    private func start(rule g: Int, vehicle v: Int, at t: Millis, eventCaused: Bool? = nil) {
        if let forMs = rules[g].forMs {
            let k = v * rules.count + g
            setPhase(v, g, RuleSlot.pending)
            ruleSlots[k].timerAt = t + forMs
            schedule(EngineTimer.forEnd, rule: g, vehicle: v, at: t + forMs)
        } else {
            rise(rule: g, vehicle: v, at: t, rearm: eventCaused ?? isEventCaused(rule: g, vehicle: v, at: t))
        }
    }

    /// The condition rose (after `for`): decide; then latch and start the repeat
    /// instants, or, after an event-caused rise (`rearm`), stay armed.
    private func rise(rule g: Int, vehicle v: Int, at t: Millis, rearm: Bool) {
        let k = v * rules.count + g
        setPhase(v, g, rearm ? RuleSlot.armed : RuleSlot.latched)
        ruleSlots[k].timerAt = RuleSlot.none
        decide(rule: g, vehicle: v, at: t, isRepeat: false)
        if !rearm, let r = rules[g].repeatMs {
            ruleSlots[k].timerAt = t + r
            schedule(EngineTimer.repeatInstant, rule: g, vehicle: v, at: t + r)
        }
    }

    /// Whether this evaluation of rule `g` (definitely true) is event-caused: not
    /// definitely true with every event function false. Events are false outside an
    /// observation's evaluation, so only rules using them at an observation can be.
    /// The optimised engine runs the rule's flat program once more with the events off;
    /// the reference evaluates the condition tree with a view without events.
    @inline(__always)
    func isEventCaused(rule g: Int, vehicle v: Int, at t: Millis) -> Bool {
        guard eventsActive else { return false }
        unowned(unsafe) let rule = rules[g]
        if options.reference {
            let view = referenceView(vehicle: v, at: t, bundle: rule.bundle)
            return ReferenceEvaluator.isEventCaused(rule.rule.condition, in: view)
        }
        guard eventRules[g >> 6] & (1 << UInt64(g & 63)) != 0 else { return false }
        eventsActive = false
        defer { eventsActive = true }
        return run(rule: g, vehicle: v) != .true
    }

    /// Fires, or suppresses with the reason: cooldown (rises only) before max_per_day,
    /// then `mode: single` with actions still running.
    /// Decisions carry `isRepeat`: the runtime's guardrails count rises, not repeat
    /// instants (docs/safety.md; tested by VigieRuntimeTests.SafetyGuardTests).
    private func decide(rule g: Int, vehicle v: Int, at t: Millis, isRepeat: Bool) {
        assert(!takingDecisions, "the engine decided inside takeDecisions(_:)")
        unowned(unsafe) let rule = rules[g]
        let k = v * rules.count + g
        var reason: Decision.Reason?
        if !isRepeat, let c = rule.cooldownMs, ruleSlots[k].lastFired != RuleSlot.none, t - ruleSlots[k].lastFired < c {
            reason = .cooldown
        }
        var today = 0
        if let n = rule.maxPerDay {
            today = day(bundle: rule.bundle, at: t)
            if Int(ruleSlots[k].day) != today {
                ruleSlots[k].day = Int32(today)
                ruleSlots[k].firedToday = 0
            }
            if reason == nil, Int(ruleSlots[k].firedToday) >= n { reason = .maxPerDay }
        }
        let running = ruleSlots[k].running > 0
        if reason == nil, running, rule.rule.mode == .single { reason = .running }
        let flags = (isRepeat ? PackedDecision.isRepeatFlag : 0)
            | (running && rule.rule.mode == .restart ? PackedDecision.cancelsRunningFlag : 0)
        if let reason {
            decisions.append(PackedDecision(at: t, vehicle: Int32(v), rule: Int32(g), payload: -1, event: .suppressed,
                                            reason: reason, flags: flags & PackedDecision.isRepeatFlag), count: 1)
            return
        }
        ruleSlots[k].lastFired = t
        if rule.maxPerDay != nil { ruleSlots[k].firedToday &+= 1 }
        if !options.actionsCompleteInstantly, ruleSlots[k].running < .max { ruleSlots[k].running += 1 }
        let payload = rule.renderer.record(
            at: t, payload: decisionPayload, text: decisionText,
            vin: { text in text.append(contentsOf: UnsafeBufferPointer(
                       rebasing: self.vinText.elements[Int(self.vinStart[v])..<Int(self.vinStart[v + 1])])) },
            value: { field, text in self.appendValue(vehicle: v, field: field.index, to: text) },
            age: { field, text in
                ValueText.append(age: self.slot(vehicle: v, field: field.index).map { t - $0.at }, to: text)
            },
            name: { text in
                // `{{vehicle.name}}`: the inventory's name, else the API's label, else the VIN (a
                // firing, not the hot path).
                if let name = self.inventory?.vehicle(vin: self.vins[v])?.name ?? self.vehicleLabel?(self.vins[v]) {
                    Array(name.utf8).withUnsafeBufferPointer { text.append(contentsOf: $0) }
                } else {
                    text.append(contentsOf: UnsafeBufferPointer(
                        rebasing: self.vinText.elements[Int(self.vinStart[v])..<Int(self.vinStart[v + 1])]))
                }
            })
        decisions.append(PackedDecision(at: t, vehicle: Int32(v), rule: Int32(g), payload: payload, event: .fired,
                                        reason: nil, flags: flags), count: 1)
    }

    /// Appends the notify rendering of field `f` of vehicle `v` (`ValueText`) to `text`.
    @inline(__always)
    func appendValue(vehicle v: Int, field f: Int, to text: PodBuffer<UInt8>) {
        if codec.isNumber(f), let slot = slot(vehicle: v, field: f) {
            ValueText.append(number: slot.a, to: text)
        } else {
            ValueText.append(value(vehicle: v, field: f), to: text)
        }
    }

    /// The local calendar day of `t` in bundle `b`'s zone (cached per day).
    func day(bundle b: Int, at t: Millis) -> Int {
        if t >= bundles[b].dayStart && t < bundles[b].dayEnd { return bundles[b].day }
        let bounds = bundles[b].clock.dayBounds(of: t)
        bundles[b].day = bounds.day
        bundles[b].dayStart = bounds.start
        bundles[b].dayEnd = bounds.end
        return bounds.day
    }
}
