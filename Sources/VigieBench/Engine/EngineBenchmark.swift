import Foundation
import RuleLanguage
import VehicleData
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vigie bench engine`: many vehicles, rules of the kinds in Rules/, a long stream of
/// observations; measures throughput, decisions, peak memory and state per vehicle.
public enum EngineBenchmark {
    public struct Result: Sendable {
        public var vehicles: Int
        public var rules: Int
        public var observations: Int
        public var seconds: Double
        public var decisions: Int
        public var fired: Int
        public var stateBytesPerVehicle: Int
        public var rssGrowthBytesPerVehicle: Int
        public var peakRSSBytes: Int
        public var evaluations: Int
        /// CPU time of the timed loop's thread (the wall time also counts other processes
        /// of a shared machine).
        public var cpuSeconds: Double = 0
        public var observationsPerSecond: Double { Double(observations) / seconds }
        public var observationsPerCPUSecond: Double { Double(observations) / max(cpuSeconds, 1e-9) }
    }

    /// Peak resident set size of this process (getrusage ru_maxrss, KiB on Linux).
    public static func peakRSSBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #endif
    }

    /// CPU time of the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Current resident set size (Linux /proc/self/statm; peak elsewhere).
    static func currentRSSBytes() -> Int {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let parts = text.split(separator: " ")
            if parts.count > 1, let pages = Int(parts[1]) { return pages * Int(sysconf(Int32(_SC_PAGESIZE))) }
        }
        #endif
        return peakRSSBytes()
    }

    public static func run(vehicles: Int = 10_000, rules: Int = 50, observations: Int = 1_000_000,
                           seed: UInt64 = 42, batchSize: Int = 256, materialize: Bool = false,
                           fullSnapshot: Bool = false) -> Result {
        let bundle = benchBundle(rules: rules)
        var generator = BenchStream(seed: seed, vehicles: vehicles)
        generator.fullSnapshot = fullSnapshot
        let stream = generator.make(count: observations, start: RFC3339.parse("2026-03-02T00:00:00Z")!)
        let before = currentRSSBytes()
        let engine = RuleEngine(bundles: [bundle])
        let handles = (0..<vehicles).map { engine.handle(vin: BenchStream.vin($0)) }
        var decisions = 0, fired = 0
        let clock = ContinuousClock()
        let cpuStart = threadCPUSeconds()
        let start = clock.now
        // The stream in order, in batches (as the runtime consumes its inbox), through the
        // batch API; the decisions are taken between batches.
        // Buffers of the stream read in place (no reference counting per element).
        typealias Values = UnsafeBufferPointer<(FieldID, FieldValue)>
        var batch: [BatchObservation<Values>] = []
        batch.reserveCapacity(batchSize)
        stream.values.withUnsafeBufferPointer { values in
            stream.offsets.withUnsafeBufferPointer { offsets in
                var first = 0
                while first < observations {
                    let last = min(observations, first + batchSize)
                    batch.removeAll(keepingCapacity: true)
                    for i in first..<last {
                        batch.append(BatchObservation(
                            vehicle: handles[Int(stream.vehicle[i])], at: stream.at[i],
                            values: UnsafeBufferPointer(rebasing: values[Int(offsets[i])..<Int(offsets[i + 1])])))
                    }
                    engine.observe(batch: batch)
                    first = last
                    if engine.pendingDecisionCount > 4096 {
                        take(engine, materialize: materialize, decisions: &decisions, fired: &fired)
                    }
                }
            }
        }
        let elapsed = clock.now - start
        let cpu = threadCPUSeconds() - cpuStart
        take(engine, materialize: materialize, decisions: &decisions, fired: &fired)
        let after = currentRSSBytes()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(vehicles: vehicles, rules: bundle.rules.count, observations: observations, seconds: seconds,
                      decisions: decisions, fired: fired, stateBytesPerVehicle: engine.stateBytesPerVehicle,
                      rssGrowthBytesPerVehicle: max(0, after - before) / max(1, vehicles),
                      peakRSSBytes: peakRSSBytes(), evaluations: engine.evaluations, cpuSeconds: cpu)
    }

    /// Takes the engine's decisions and counts them: read in place (`PendingDecisions`),
    /// or each as a `Decision` value, as dry-run and serve take them (`materialize`).
    private static func take(_ engine: RuleEngine, materialize: Bool, decisions: inout Int, fired: inout Int) {
        if materialize {
            let made = engine.takeDecisions()
            decisions += made.count
            fired += made.reduce(0) { $0 + ($1.event == .fired ? 1 : 0) }
        } else {
            engine.takeDecisions { made in
                decisions += made.count
                for i in made.indices where made.event(i) == .fired { fired += 1 }
            }
        }
    }

    /// 50 rules modelled on Rules/: thresholds with `for`, enums, `in`, zones, events,
    /// schedules, cooldown, repeat, max_per_day, notify templates and remotes.
    static func benchBundle(rules count: Int) -> CheckedBundle {
        func f(_ n: String) -> FieldID { Catalog.field(named: n)!.id }
        let depot = Zone(name: "depot", latitude: 48.8667, longitude: 2.3333, radiusMeters: 2000)
        let home = Zone(name: "home", latitude: 48.80, longitude: 2.25, radiusMeters: 500)
        let offPeak = Schedule(name: "off_peak", days: [.mon, .tue, .wed, .thu, .fri], fromMinute: 1320, toMinute: 360)
        let night = Schedule(name: "night", fromMinute: 1380, toMinute: 300)
        let range = SourceRange(file: "bench", start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
        let notify = Action.notify(Template(parts: [.vin, .text(": battery at "), .field(f("battery.level")), .text(" %")],
                                            source: "{{vin}}: battery at {{battery.level}} %"))
        let kinds: [(Condition, Double?, Double?, Double?, Int?, [Action])] = [
            (.and([.compare(f("battery.level"), .lt, .number(20)), .isTrue(f("charging.plugged")),
                   .compare(f("charging.status"), .ne, .member("InProgress")), .within(offPeak)]), 300, nil, 3600, nil,
             [.remote(.chargeStart), notify]),
            (.and([.compare(f("battery.level"), .lt, .number(10)), .isTrue(f("charging.plugged")),
                   .member(f("charging.status"), [.member("Disconnected"), .member("Stopped"), .member("Failure")], negated: false)]),
             120, nil, 1800, nil, [.remote(.chargeStart), notify]),
            (.and([.changed(f("charging.plugged")), .isTrue(f("charging.plugged")),
                   .compare(f("battery.level"), .ge, .number(20)), .not(.within(offPeak))]), nil, nil, nil, nil,
             [.remote(.chargeAt(hour: 22, minute: 30))]),
            (.and([.entered(depot), .compare(f("battery.level"), .gt, .number(60))]), nil, nil, nil, nil,
             [.remote(.chargePreferences(level: "Level2", type: "Partial"))]),
            (.and([.isTrue(f("charging.plugged")), .compare(f("charging.status"), .eq, .member("Failure"))]), 60, 900, nil, 4,
             [notify]),
            (.and([.compare(f("autonomy"), .lt, .number(40)), .isTrue(f("moving")), .not(.inside(depot))]), nil, nil, 1800, nil,
             [notify]),
            (.compare(f("speed"), .gt, .number(130)), 30, nil, 600, 3, [notify]),
            (.and([.not(.isTrue(f("moving"))), .compare(f("outside.temperature"), .gt, .number(28))]), 600, nil, nil, 2,
             [.remote(.preconditionStart)]),
            (.and([.left(home), .within(night)]), nil, nil, nil, nil, [.remote(.hornOn), notify]),
            (.and([.isTrue(f("moving")), .compare(f("speed"), .gt, .number(20)), .not(.inside(depot))]), nil, nil, 3600, nil,
             [notify]),
        ]
        var rules: [CheckedRule] = []
        for i in 0..<count {
            let k = kinds[i % kinds.count]
            // Vary thresholds so the rules are distinct.
            let shift = Double(i / kinds.count)
            let condition = shifted(k.0, by: shift)
            rules.append(CheckedRule(id: "rule-\(i)", condition: condition, forSeconds: k.1, repeatSeconds: k.2,
                                     cooldownSeconds: k.3, maxPerDay: k.4, actions: k.5, range: range))
        }
        return CheckedBundle(name: "bench", timeZone: "Europe/Paris", zones: [depot, home],
                             schedules: [offPeak, night], rules: rules, range: range)
    }

    private static func shifted(_ c: Condition, by d: Double) -> Condition {
        switch c {
        case .compare(let f, let op, .number(let n)): return .compare(f, op, .number(n + d))
        case .and(let cs): return .and(cs.map { shifted($0, by: d) })
        case .or(let cs): return .or(cs.map { shifted($0, by: d) })
        case .not(let inner): return .not(shifted(inner, by: d))
        default: return c
        }
    }
}

/// A deterministic stream of telemetry: each observation carries one to three fields
/// of one vehicle (battery drifting, speed, plug, charging status, position, temperature),
/// or with `fullSnapshot` all eight of them (as a replay's `set` line or a status poll
/// brings them), after the same drift.
struct BenchStream {
    var state: UInt64
    let vehicles: Int
    var fullSnapshot = false
    var vehicle: [Int32] = []
    var at: [Millis] = []
    var offsets: [Int32] = [0]
    var values: [(FieldID, FieldValue)] = []

    init(seed: UInt64, vehicles: Int) {
        state = seed
        self.vehicles = vehicles
    }

    static func vin(_ i: Int) -> String {
        let digits = String(i)
        return "VR3BENCH" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func make(count: Int, start: Millis) -> BenchStream {
        func f(_ n: String) -> FieldID { Catalog.field(named: n)!.id }
        let battery = f("battery.level"), autonomy = f("autonomy"), plugged = f("charging.plugged")
        let status = f("charging.status"), speed = f("speed"), moving = f("moving"), temp = f("outside.temperature")
        let position = f("position")
        let statuses = ["Disconnected", "InProgress", "Failure", "Stopped", "Finished"]
        // Per-vehicle telemetry that drifts like a real car's: a day of observations,
        // evenly spread; most messages repeat or nudge a value.
        var level = (0..<vehicles).map { _ in Double(20 + below(80)) }
        var kmh = (0..<vehicles).map { _ in Double(below(60)) }
        var lat = (0..<vehicles).map { _ in 48.80 + Double(below(200)) / 1000 }
        var lon = (0..<vehicles).map { _ in 2.25 + Double(below(200)) / 1000 }
        var celsius = (0..<vehicles).map { _ in Double(below(30)) }
        var plug = (0..<vehicles).map { _ in below(3) == 0 }
        var chargeStatus = Array(repeating: 0, count: vehicles)
        let step = max(1, Millis(86_400_000) / Millis(max(count, 1)))
        vehicle.reserveCapacity(count)
        at.reserveCapacity(count)
        offsets.reserveCapacity(count + 1)
        values.reserveCapacity(count * (fullSnapshot ? 8 : 2))
        for i in 0..<count {
            let v = below(vehicles)
            vehicle.append(Int32(v))
            at.append(start + Millis(i) * step)
            switch below(20) {
            case 0..<8: // kinetic
                kmh[v] = max(0, min(160, kmh[v] + Double(below(21)) - 10))
                values.append((speed, .number(kmh[v])))
                values.append((moving, .bool(kmh[v] > 0)))
            case 8..<12: // position
                lat[v] += Double(below(3) - 1) / 1000
                lon[v] += Double(below(3) - 1) / 1000
                values.append((position, .point(latitude: lat[v], longitude: lon[v])))
            case 12..<15: // battery: often unchanged
                if below(4) == 0 { level[v] = max(0, min(100, level[v] + (plug[v] ? 1 : -1))) }
                values.append((battery, .number(level[v])))
                values.append((autonomy, .number((level[v] * 3.5).rounded())))
            case 15, 16: // air temperature
                celsius[v] += Double(below(3) - 1) / 2
                values.append((temp, .number(celsius[v])))
            case 17: // plug and charging status
                if below(4) == 0 { plug[v].toggle() }
                values.append((plugged, .bool(plug[v])))
                let s = plug[v] ? 1 + below(4) : 0
                chargeStatus[v] = s
                values.append((status, .member(statuses[s])))
            default: // a status poll that changes nothing
                values.append((battery, .number(level[v])))
                values.append((speed, .number(kmh[v])))
            }
            if fullSnapshot {
                // Every field, sorted by field (the drift above is kept, its values replaced).
                values.removeSubrange(Int(offsets[offsets.count - 1])...)
                values.append((battery, .number(level[v])))
                values.append((autonomy, .number((level[v] * 3.5).rounded())))
                values.append((plugged, .bool(plug[v])))
                values.append((status, .member(statuses[plug[v] ? chargeStatus[v] : 0])))
                values.append((speed, .number(kmh[v])))
                values.append((moving, .bool(kmh[v] > 0)))
                values.append((temp, .number(celsius[v])))
                values.append((position, .point(latitude: lat[v], longitude: lon[v])))
                values.sort(from: Int(offsets[offsets.count - 1]))
            }
            offsets.append(Int32(values.count))
        }
        return self
    }
}

private extension Array where Element == (FieldID, FieldValue) {
    mutating func sort(from start: Int) {
        self[start...].sort { $0.0 < $1.0 }
    }
}
