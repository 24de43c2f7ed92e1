import CVigieSupport
import VehicleData

/// One observation of a batch (see `RuleEngine.observe(batch:)`): `BatchObservation`, or
/// `DatedBatchObservation` when some values have data times of their own.
public protocol BatchItem {
    associatedtype Values: Collection where Values.Element == (FieldID, FieldValue)
    var vehicle: VehicleHandle { get }
    var at: Millis { get }
    var values: Values { get }
    /// Data times of the values that have one other than `at` (SEMANTICS.md "Data time
    /// and age"); nil: all of them have `at`.
    var dataTimes: [FieldID: Millis]? { get }
}

/// One observation of a batch, every value with the observation instant as its data time.
/// A plain value (no reference inside when `Values` has none): batches of them are cheap.
public struct BatchObservation<Values: Collection>: BatchItem where Values.Element == (FieldID, FieldValue) {
    public var vehicle: VehicleHandle
    public var at: Millis
    public var values: Values
    public var dataTimes: [FieldID: Millis]? { nil }

    public init(vehicle: VehicleHandle, at: Millis, values: Values) {
        self.vehicle = vehicle
        self.at = at
        self.values = values
    }
}

/// One observation of a batch whose values may have data times of their own (a status
/// payload's timestamps).
public struct DatedBatchObservation<Values: Collection>: BatchItem where Values.Element == (FieldID, FieldValue) {
    public var vehicle: VehicleHandle
    public var at: Millis
    public var values: Values
    public var dataTimes: [FieldID: Millis]?

    public init(vehicle: VehicleHandle, at: Millis, values: Values, dataTimes: [FieldID: Millis]?) {
        self.vehicle = vehicle
        self.at = at
        self.values = values
        self.dataTimes = dataTimes
    }
}

extension RuleEngine {
    /// How many observations ahead `observe(batch:)` asks for the state of a vehicle: far
    /// enough for a cache miss (~100 ns) to complete while the observations in between run.
    static let prefetchDistance = 8

    /// Observes every element of `batch` in order: exactly what `observe(_:at:values:)` on
    /// each would do (same timers, same decisions), only faster when the vehicles come in
    /// no particular order. While it applies one observation, the CPU is already fetching
    /// the state of the vehicle `prefetchDistance` observations later (its hot block and
    /// the cold slots of the fields it carries), so that the cache misses of several
    /// observations overlap instead of following one another.
    public func observe<B: Collection>(batch: B) where B.Element: BatchItem {
        var ahead = batch.makeIterator()
        for _ in 0..<RuleEngine.prefetchDistance {
            guard let next = ahead.next() else { break }
            prefetch(vehicle: Int(next.vehicle.index), values: next.values)
        }
        for item in batch {
            if let next = ahead.next() { prefetch(vehicle: Int(next.vehicle.index), values: next.values) }
            observe(item.vehicle, at: item.at, values: item.values, dataTimes: item.dataTimes)
        }
    }

    /// A hint: brings the state an observation of vehicle `handle` reads and writes (its hot
    /// block, the slots of `fields`) into the cache, without waiting for it. Drivers that
    /// know their next observations call it a few observations ahead (as
    /// `observe(batch:)` does); it changes no state and no decision.
    public func prefetch(_ handle: VehicleHandle, fields: [FieldID]) {
        let v = Int(handle.index)
        guard v >= 0, v < vins.count else { return }
        prefetchBlock(v)
        for field in fields where field.index < fieldCount { prefetchSlot(v, field.index) }
    }

    @inline(__always)
    func prefetch<C: Collection>(vehicle v: Int, values: C) where C.Element == (FieldID, FieldValue) {
        prefetchBlock(v)
        guard layout.coldCount > 0 else { return }
        for (field, _) in values { prefetchSlot(v, field.index) }
    }

    /// Prefetches the cold slot of field `f` of vehicle `v`, if it has one (it may
    /// straddle two lines); a field some rule reads is in the hot block.
    @inline(__always) func prefetchSlot(_ v: Int, _ f: Int) {
        let c = Int(layout.coldIndex[f])
        guard c >= 0 else { return }
        let slot = UnsafeRawPointer(cold.base + v * layout.coldCount + c)
        vigie_prefetch(slot)
        vigie_prefetch(slot + (MemoryLayout<FieldSlot>.size - 1))
    }

    /// Prefetches vehicle `v`'s VIN bytes (notify texts copy them).
    @inline(__always) func prefetchVIN(_ v: Int) {
        vigie_prefetch(vinText.base + Int(vinStart[v]))
    }

    /// Prefetches the slot of rule `g` of vehicle `v` (it may straddle two lines).
    @inline(__always) func prefetchRuleSlot(_ v: Int, _ g: Int) {
        let slot = UnsafeRawPointer(ruleSlots.base + v * rules.count + g)
        vigie_prefetch(slot)
        vigie_prefetch(slot + (MemoryLayout<RuleSlot>.size - 1))
    }

    /// How many timers ahead in its lane `runTimers` prefetches a timer's state.
    static let timerPrefetchDistance = 4

    /// Prefetches what running `timer` reads: its rule's slot and its vehicle's hot block.
    @inline(__always) func prefetchTimer(_ timer: EngineTimer) {
        guard timer.kind != EngineTimer.boundary else { return }
        prefetchRuleSlot(Int(timer.vehicle), Int(timer.index))
        prefetchBlock(Int(timer.vehicle))
        let g = Int(timer.index)
        if vinRules[g / 64] & (1 << UInt64(g % 64)) != 0 { prefetchVIN(Int(timer.vehicle)) }
    }

    /// Prefetches every cache line of vehicle `v`'s hot block (whole lines, see
    /// `VehicleLayout`).
    @inline(__always) func prefetchBlock(_ v: Int) {
        let start = UnsafeRawPointer(block(v))
        var offset = 0
        while offset < layout.stride {
            vigie_prefetch(start + offset * MemoryLayout<UInt64>.stride)
            offset += VehicleLayout.lineWords
        }
    }
}
