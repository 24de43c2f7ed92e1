import Foundation
import MonitorCompiler
import RuleEngine
import RuleLanguage
import VehicleData

/// Polls `GET status` of the vehicles that have a rule the compiler could not watch
/// server-side (or a prefilter whose local checks need fresh data), at the interval it
/// chose, and hands each answer to the engine loop as an observation at the time of the
/// answer. One poll at a time (the API's rate limits are shared with the dispatcher).
final class Poller: @unchecked Sendable {
    unowned let runtime: ServeRuntime
    let api: any VehicleAPI
    let engine: EngineLoop
    private let lock = NSLock()
    private var stopping = false
    private let wake = WakeSignal()

    init(runtime: ServeRuntime, api: any VehicleAPI, engine: EngineLoop) {
        self.runtime = runtime
        self.api = api
        self.engine = engine
    }

    func stop() {
        lock.withLock { stopping = true }
        wake.signal()
    }

    func run() async {
        let intervals = runtime.pollIntervals.filter { $0.value > 0 }
        guard !intervals.isEmpty else { return }
        let start = runtime.clock.now()
        var next = intervals.mapValues { _ in start }
        while !lock.withLock({ stopping }) {
            let now = runtime.clock.now()
            for vin in next.keys.sorted() where next[vin]! <= now {
                if lock.withLock({ stopping }) { return }
                await poll(vin)
                next[vin] = max(now, next[vin]!).addingTimeInterval(intervals[vin]!)
            }
            await wake.wait(timeout: runtime.settings.tick)
        }
    }

    private func poll(_ vin: String) async {
        do {
            let status = try await api.status(vin: vin)
            let at = runtime.clock.now()
            runtime.metrics.increment(RuntimeMetrics.apiCalls, ["operation": "status", "result": "ok"])
            runtime.metrics.increment(RuntimeMetrics.polls, ["result": "ok"])
            let decoded = StatusDecoder.decode(status.json)
            engine.submitPoll(vin: vin, at: at, observation: decoded.observation)
        } catch {
            runtime.metrics.increment(RuntimeMetrics.apiCalls, ["operation": "status", "result": "error"])
            runtime.metrics.increment(RuntimeMetrics.polls, ["result": "error"])
            runtime.logger.warning("status poll failed", metadata: ["vin": "\(vin)", "error": "\(error)"])
        }
    }
}

extension ServeRuntime {
    /// VIN → seconds between polls: the vehicles of the inventory with a rule the
    /// compiler placed on polling (or a prefilter needing fresh data), at the shortest
    /// interval it chose for them.
    public static func pollIntervals(bundles: [CheckedBundle], inventory: Inventory,
                                     api: MonitorAPI = .b2c) -> [String: Double] {
        let targets = inventory.vehicles.map { v in
            CompileTarget(vin: v.vin, bundles: bundles.filter { inventory.selects($0.vehicles, vin: v.vin) })
        }
        var out: [String: Double] = [:]
        for vehicle in MonitorCompiler.compile(targets, options: CompileOptions(api: api)).vehicles {
            if let vin = vehicle.vin, let every = vehicle.pollEvery { out[vin] = Double(every) }
        }
        return out
    }
}
