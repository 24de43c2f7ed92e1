import HeapModule
import RuleLanguage
import VehicleData

/// Evaluates checked bundles over a stream of observations, exactly per SEMANTICS.md.
///
/// Time reaches the engine only through the instants it is given (`observe(…at:)`,
/// `advance(to:)`); timers (ends of `for`, repeats, schedule boundaries) run from a
/// priority queue at their exact instants. No I/O, no wall clock. Decisions accumulate
/// in `takeDecisions()`. State is flat arrays indexed by vehicle, field and rule.
///
/// Not `Sendable`: one caller at a time. The stored properties the hot path reads and
/// writes for every observation are `@exclusivity(unchecked)` (so are `PodBuffer`'s):
/// with that confinement the dynamic exclusivity checks only cost time, a third of the
/// throughput of `vigie bench engine` (BENCHMARKS.md).
public final class RuleEngine {
    public struct Options: Sendable {
        /// Evaluate every rule at every observation with the straightforward evaluator of
        /// the checked condition (no lowering, no skipping): the property tests' oracle.
        public var reference: Bool
        /// Replay: a firing's actions complete at once. Live: the driver calls
        /// `actionsCompleted` (modes single / queued / restart).
        public var actionsCompleteInstantly: Bool
        public init(reference: Bool = false, actionsCompleteInstantly: Bool = true) {
            self.reference = reference
            self.actionsCompleteInstantly = actionsCompleteInstantly
        }
    }

    public let options: Options
    public let inventory: Inventory?
    /// What `{{vehicle.name}}` prints for a VIN the inventory names not (`vigie serve`: the
    /// API's label of the vehicle, docs/notifications.md); nil there, or no lookup: the VIN.
    public var vehicleLabel: (@Sendable (String) -> String?)?
    let codec = FieldCodec()
    let fieldCount = Catalog.fields.count
    let positionField = Catalog.field(named: "position")?.id
    var bundles: [EngineBundle] = []
    @exclusivity(unchecked) var rules: [EngineRule] = []
    /// Every rule's condition as a flat program (see `FlatInstruction`): rule `g`'s is
    /// `flat[flatStart[g] ..< flatStart[g + 1]]`.
    let flat = PodBuffer<FlatInstruction>()
    let flatStart = PodBuffer<Int32>()
    /// The items of the programs' `inList` tests, and the members of their `contains`.
    let flatLists = PodBuffer<Double>()
    var flatMembers: [String] = []
    /// The truth stack of `run(rule:vehicle:)`, as long as the longest program.
    let truthStack = PodBuffer<UInt8>()
    var zones: [Zone] = []
    /// Per zone: its `inside` test (see `ZoneTest`).
    let zoneTests = PodBuffer<ZoneTest>()
    var schedules: [EngineSchedule] = []
    /// Per field: bitset (words) of the rules that read it.
    var fieldRules: [[UInt64]] = []
    /// Rules using `entered`, `left` or `changed`: evaluated at every observation.
    var eventRules: [UInt64] = []
    /// Rules whose notify texts insert the VIN (their evaluation prefetches it).
    let vinRules = PodBuffer<UInt64>()
    /// Per field: the rules reading it that a change of its known value always evaluates
    /// (tests of a point other than zones); the others when one of their tests flips.
    var fieldAlways: [[UInt64]] = []
    /// Per field (`words` each): the rules using `age(field)`, evaluated whenever the field
    /// is observed (its data time may change) and at its age thresholds (timers).
    let ageFieldRules = PodBuffer<UInt64>()
    /// Per field: whether some rule uses `age(field)`.
    let hasAgeRules = PodBuffer<Bool>()
    var usesAge = false
    /// Fields with age rules carried by the observation at hand.
    let ageFieldsScratch = PodBuffer<Int>()
    /// Per field: the rules using `changed(field)`.
    var changedEventRules: [[UInt64]] = []
    /// Per zone: the rules using `entered(zone)` or `left(zone)`.
    var zoneEventRules: [[UInt64]] = []
    /// Per field: its distinct tests in state-based rules (see `FieldAtom`).
    var fieldAtoms: [[FieldAtom]] = []
    /// The rule bitsets of the atoms, `words` per atom.
    var atomRules: [UInt64] = []
    /// The tables above, flattened for the hot path.
    let triggers = TriggerTable()
    @exclusivity(unchecked) var words = 1

    // Per-vehicle state, flat.
    var vins: [String] = []
    /// The VINs' UTF-8 bytes end to end (notify texts copy them from here): vehicle `v`'s
    /// are `vinText[vinStart[v] ..< vinStart[v + 1]]`.
    let vinText = PodBuffer<UInt8>()
    let vinStart = PodBuffer<Int32>()
    var vehicleIndex: [String: Int32] = [:]
    /// Per vehicle: the hot block (see `VehicleLayout`).
    let hot = PodBuffer<UInt64>()
    @exclusivity(unchecked) var layout = VehicleLayout(fieldCount: 0, ruleCount: 0, words: 1, readFields: [], pointFields: [])
    /// Per vehicle, the fields no rule reads: value and data time (see `VehicleLayout`).
    let cold = PodBuffer<FieldSlot>()
    /// Per vehicle and rule: timers, last firing, daily count (the phase is in `hot`).
    let ruleSlots = PodBuffer<RuleSlot>()

    // Time.
    @exclusivity(unchecked) public internal(set) var now: Millis?
    @exclusivity(unchecked) var timers = TimerQueue(lanes: 0)
    @exclusivity(unchecked) var nextScheduleBoundary: Millis = .max

    // Scratch of the evaluation at hand.
    let changedScratch = PodBuffer<Bool>()
    let zoneEventScratch = PodBuffer<UInt8>()
    @exclusivity(unchecked) var eventsActive = false
    let maskScratch = PodBuffer<UInt64>()
    let changedRulesScratch = PodBuffer<UInt64>()
    let changedFields = PodBuffer<Int>()
    /// Per schedule: whether its window is open now (mirrors `schedules[i].open`).
    let scheduleOpen = PodBuffer<Bool>()
    @exclusivity(unchecked) var previousPosition: (Double, Double)?
    /// The instant of the evaluation at hand (`age(…)` tests).
    @exclusivity(unchecked) var evaluationAt: Millis = 0
    @exclusivity(unchecked) var positionIsFirst = false

    /// Decisions made and not yet taken (see `PackedDecision`), with the action data of
    /// their firings.
    let decisions = PodBuffer<PackedDecision>()
    let decisionPayload = PodBuffer<Int64>()
    let decisionText = PodBuffer<UInt8>()
    /// Inside `takeDecisions(_:)`: the engine must not decide then (debug builds check).
    var takingDecisions = false
    /// Rule evaluations so far (benchmarks: how much the skipping saves).
    @exclusivity(unchecked) public internal(set) var evaluations = 0
    /// Called at each evaluation of the rules named in `explainRules` ("bundle/rule" or "rule").
    @exclusivity(unchecked) public var explainRules: Set<String> = []
    @exclusivity(unchecked) public var onExplain: ((Explanation) -> Void)?

    public init(bundles checked: [CheckedBundle], inventory: Inventory? = nil, options: Options = Options()) {
        self.options = options
        self.inventory = inventory
        for b in checked {
            let clock = ZoneClock(identifier: b.timeZone) ?? ZoneClock(identifier: "UTC")!
            let start = rules.count
            for r in b.rules {
                let program = LoweredCondition(r.condition, codec: codec, positionField: positionField,
                                               zoneIndex: { self.intern(zone: $0) },
                                               scheduleIndex: { self.intern(schedule: $0, bundle: self.bundles.count, clock: clock) })
                rules.append(EngineRule(bundle: bundles.count, bundleName: b.name, clock: clock, rule: r, program: program,
                                        forMs: EngineRule.millis(r.forSeconds), repeatMs: EngineRule.millis(r.repeatSeconds),
                                        cooldownMs: EngineRule.millis(r.cooldownSeconds), maxPerDay: r.maxPerDay))
            }
            bundles.append(EngineBundle(bundle: b, clock: clock, rules: start..<rules.count))
        }
        words = max(1, (rules.count + 63) / 64)
        fieldRules = Array(repeating: Array(repeating: 0, count: words), count: fieldCount)
        eventRules = Array(repeating: 0, count: words)
        vinRules.append(0, count: words)
        for (g, r) in rules.enumerated() {
            for f in r.program.reads { fieldRules[f.index][g / 64] |= 1 << UInt64(g % 64) }
            if r.program.usesEvents { eventRules[g / 64] |= 1 << UInt64(g % 64) }
            if r.renderer.usesVIN { vinRules[g / 64] |= 1 << UInt64(g % 64) }
            for s in r.program.schedules { schedules[s].rules.append(g) }
        }
        buildAtoms()
        ageFieldRules.append(0, count: fieldCount * words)
        hasAgeRules.append(false, count: fieldCount)
        for (g, r) in rules.enumerated() {
            for a in r.program.ages {
                ageFieldRules[a.field * words + g / 64] |= 1 << UInt64(g % 64)
                hasAgeRules[a.field] = true
                usesAge = true
            }
        }
        assignTimerLanes()
        var read = Set<Int>()
        for r in rules { read.formUnion(r.program.reads.map(\.index)) }
        let points = Set(Catalog.fields.indices.filter {
            if case .point = Catalog.fields[$0].type { return true } else { return false }
        })
        layout = VehicleLayout(fieldCount: fieldCount, ruleCount: rules.count, words: words,
                               readFields: read, pointFields: points)
        buildFlatPrograms()
        vinStart.append(0, count: 1)
        changedScratch.append(false, count: fieldCount)
        maskScratch.append(0, count: words)
        changedRulesScratch.append(0, count: words)
        scheduleOpen.append(false, count: schedules.count + 1)
        zoneEventScratch.append(0, count: zones.count + 1)
        for zone in zones { zoneTests.append(ZoneTest(zone), count: 1) }
    }

    /// One `TimerQueue` lane per timer kind and duration, when there are few of them.
    private func assignTimerLanes() {
        var lanes: [String: Int] = [:]
        func lane(_ kind: String, _ ms: Millis?) -> Int {
            guard let ms, ms > 0 else { return -1 }
            if let l = lanes["\(kind)\(ms)"] { return l }
            lanes["\(kind)\(ms)"] = lanes.count
            return lanes.count - 1
        }
        for r in rules {
            r.forLane = lane("for", r.forMs)
            r.repeatLane = lane("repeat", r.repeatMs)
        }
        guard lanes.count <= 16 else {
            for r in rules { (r.forLane, r.repeatLane) = (-1, -1) }
            timers = TimerQueue(lanes: 0)
            return
        }
        timers = TimerQueue(lanes: lanes.count)
    }

    /// Groups the field tests of state-based rules per field (see `FieldAtom`).
    private func buildAtoms() {
        let none = Array(repeating: UInt64(0), count: words)
        fieldAlways = Array(repeating: none, count: fieldCount)
        changedEventRules = Array(repeating: none, count: fieldCount)
        zoneEventRules = Array(repeating: none, count: zones.count)
        fieldAtoms = Array(repeating: [], count: fieldCount)
        for (g, r) in rules.enumerated() {
            let (changed, zonesUsed) = r.program.events()
            for f in changed { changedEventRules[f][g / 64] |= 1 << UInt64(g % 64) }
            for z in zonesUsed { zoneEventRules[z][g / 64] |= 1 << UInt64(g % 64) }
            for (f, atom) in r.program.atoms() {
                if f == positionField?.index && atom.kind != .inside {
                    fieldAlways[f][g / 64] |= 1 << UInt64(g % 64)
                    continue
                }
                let i: Int
                if let found = fieldAtoms[f].firstIndex(where: { $0.sameTest(as: atom) }) {
                    i = found
                } else {
                    var a = atom
                    a.rulesStart = atomRules.count
                    atomRules.append(contentsOf: repeatElement(0, count: words))
                    fieldAtoms[f].append(a)
                    i = fieldAtoms[f].count - 1
                }
                atomRules[fieldAtoms[f][i].rulesStart + g / 64] |= 1 << UInt64(g % 64)
            }
        }
        triggers.fill(words: words, fieldRules: fieldRules, fieldAlways: fieldAlways,
                      changedEvent: changedEventRules, zoneEvent: zoneEventRules,
                      fieldAtoms: fieldAtoms, atomRules: atomRules)
    }

    private func intern(zone: Zone) -> Int {
        if let i = zones.firstIndex(of: zone) { return i }
        zones.append(zone)
        return zones.count - 1
    }

    private func intern(schedule: Schedule, bundle: Int, clock: ZoneClock) -> Int {
        if let i = schedules.firstIndex(where: { $0.bundle == bundle && $0.schedule == schedule }) { return i }
        schedules.append(EngineSchedule(bundle: bundle, schedule: schedule, clock: clock))
        return schedules.count - 1
    }

    // MARK: public API

    /// The decisions made since the last call, in order.
    public func takeDecisions() -> [Decision] {
        takeDecisions { Array($0) }
    }

    /// Hands the decisions made since the last call to `body`, read in place, then
    /// forgets them: the fast path of consumers that do not need every decision as a
    /// `Decision` value (see `PendingDecisions`).
    public func takeDecisions<R>(_ body: (PendingDecisions) throws -> R) rethrows -> R {
        assert(!takingDecisions, "takeDecisions inside takeDecisions")
        takingDecisions = true
        defer {
            takingDecisions = false
            decisions.removeAll()
            decisionPayload.removeAll()
            decisionText.removeAll()
        }
        return try body(PendingDecisions(engine: self, records: decisions.elements))
    }

    /// `record` as a `Decision` value.
    func materialize(_ record: PackedDecision) -> Decision {
        let rule = rules[Int(record.rule)]
        let rendered: (actions: [DecisionAction], details: [Int: NotifyDetails]) = record.event == .fired
            ? rule.renderer.actionsAndDetails(payload: record.payload, words: decisionPayload.elements,
                                              text: decisionText.elements)
            : ([], [:])
        var decision = Decision(at: record.at, vin: vins[Int(record.vehicle)], bundle: rule.bundleName, rule: rule.rule.id,
                                event: record.event,
                                reason: record.reason,
                                actions: rendered.actions, cancelsRunning: record.flags & PackedDecision.cancelsRunningFlag != 0,
                                isRepeat: record.flags & PackedDecision.isRepeatFlag != 0)
        decision.notifyDetails = rendered.details
        return decision
    }

    /// Decisions made and not yet taken.
    public var pendingDecisionCount: Int { decisions.count }

    /// Number of vehicles seen.
    public var vehicleCount: Int { vins.count }

    /// Bytes of per-vehicle state: the hot block (known bits, rule and event masks, values
    /// read by rules and their data times, phases), the cold slots (value and data time of
    /// the other fields) and the rule slots.
    public var stateBytesPerVehicle: Int {
        layout.stride * MemoryLayout<UInt64>.stride + layout.coldCount * MemoryLayout<FieldSlot>.stride
            + rules.count * MemoryLayout<RuleSlot>.stride
    }

    /// Observes `values` of vehicle `vin` at `t` (not before the last instant given):
    /// runs the timers due at or before `t`, updates the fields, evaluates the rules.
    /// Each value has its data time from `observation.dataTimes`, else the instant.
    public func observe(vin: String, at t: Millis, _ observation: Observation) {
        var pairs: [(FieldID, FieldValue)] = observation.values.map { ($0.key, $0.value) }
        pairs.sort { $0.0 < $1.0 }
        advance(to: t)
        observe(vehicle: Int(vehicle(vin).index), at: now ?? t, values: pairs,
                dataTimes: observation.dataTimes.isEmpty ? nil : observation.dataTimes)
    }

    public func observe(vin: String, at t: Millis, values: [(FieldID, FieldValue)]) {
        advance(to: t)
        observe(vehicle: Int(vehicle(vin).index), at: now ?? t, values: values)
    }

    /// A stable handle for `vin` (the order vehicles were first seen): the fast path of
    /// drivers that observe many vehicles, without hashing the VIN each time.
    public func handle(vin: String) -> VehicleHandle {
        VehicleHandle(index: vehicle(vin).index)
    }

    /// Observes vehicle `handle` (from `handle(vin:)`) at `t`; `dataTimes`: the data times
    /// of the values that have one other than `t` (SEMANTICS.md "Data time and age").
    public func observe<C: Collection>(_ handle: VehicleHandle, at t: Millis, values: C,
                                       dataTimes: [FieldID: Millis]? = nil)
    where C.Element == (FieldID, FieldValue) {
        advance(to: t)
        observe(vehicle: Int(handle.index), at: now ?? t, values: values, dataTimes: dataTimes)
    }

    /// The data time of the current value of `field` of vehicle `vin` (SEMANTICS.md "Data
    /// time and age": when the vehicle measured it, never after the observation that
    /// brought it); nil when never observed.
    public func dataTime(vin: String, field: FieldID) -> Millis? {
        guard let v = vehicleIndex[vin], field.index < fieldCount else { return nil }
        return slot(vehicle: Int(v), field: field.index)?.at
    }

    /// Runs every timer due at or before `t` (the end of a replay: `--until`).
    public func advance(to t: Millis) {
        guard let current = now else {
            start(at: t)
            return
        }
        let target = max(t, current)
        runTimers(through: target)
        now = target
        syncSchedules(target)
    }

    /// The driver reports that the actions of one firing of `bundle/rule` for `vin` have
    /// completed (live runtime; in replay they complete at once).
    public func actionsCompleted(vin: String, bundle: String, rule: String) {
        guard let v = vehicleIndex[vin], let g = ruleIndex(bundle: bundle, rule: rule) else { return }
        let k = Int(v) * rules.count + g
        if ruleSlots[k].running > 0 { ruleSlots[k].running -= 1 }
    }

    func ruleIndex(bundle: String, rule: String) -> Int? {
        guard let b = bundles.firstIndex(where: { $0.bundle.name == bundle }) else { return nil }
        return bundles[b].rules.first { rules[$0].rule.id == rule }
    }

    // MARK: vehicles

    func vehicle(_ vin: String) -> (index: Int32, isNew: Bool) {
        if let i = vehicleIndex[vin] { return (i, false) }
        return (addVehicle(vin), true)
    }

    func addVehicle(_ vin: String) -> Int32 {
        let i = Int32(vins.count)
        vins.append(vin)
        ValueText.append(vin, to: vinText)
        vinStart.append(Int32(vinText.count), count: 1)
        vehicleIndex[vin] = i
        cold.append(FieldSlot(), count: layout.coldCount)
        ruleSlots.append(RuleSlot(), count: rules.count)
        hot.append(0, count: layout.stride) // phases: armed (0)
        let v = Int(i)
        for b in bundles where (inventory ?? Inventory()).selects(b.bundle.vehicles, vin: vin) {
            for g in b.rules { block(v)[layout.active + g / 64] |= 1 << UInt64(g % 64) }
        }
        return i
    }

    /// Whether the bundles of rule `g` see vehicle `v`.
    @inline(__always) func sees(_ v: Int, _ g: Int) -> Bool {
        activeWord(v, g / 64) & (1 << UInt64(g % 64)) != 0
    }

    /// The current value of field `f` of vehicle `v`.
    func value(vehicle v: Int, field f: Int) -> FieldValue? {
        guard let slot = slot(vehicle: v, field: f) else { return nil }
        return codec.decode(FieldID(UInt16(f)), slot.a, slot.b)
    }
}

/// A vehicle as the engine indexes it (see `RuleEngine.handle(vin:)`).
public struct VehicleHandle: Sendable, Hashable {
    public let index: Int32
}
