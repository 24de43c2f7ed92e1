import Foundation
import Logging
import ServiceLifecycle
import MonitorCompiler
import RuleEngine
import RuleLanguage
import VehicleData

/// The poller service. Polls `GET status` of the vehicles that have a rule the compiler
/// could not watch server-side (or a prefilter whose local checks need fresh data), at
/// the interval it chose, and hands each answer to the engine as an observation at the
/// time of the answer. One poll at a time (the API's rate limits are shared with the
/// dispatcher). Waits for the API access; sleeps on the clock until the next poll is
/// due; graceful shutdown cancels it (a poll answered after it would not be observed).
struct Poller: Service {
    let intervals: [String: Double]
    let access: APIAccess
    let clock: any VigieClock
    let engine: EngineHandoff
    let metrics: RuntimeMetrics
    let logger: Logger
    /// On PostgreSQL: whether this instance runs the vehicle's partition now (others poll
    /// the rest); nil: every vehicle.
    var owns: (@Sendable (String) -> Bool)? = nil

    func run() async throws {
        let intervals = self.intervals.filter { $0.value > 0 }
        guard !intervals.isEmpty else { return try await gracefulShutdown() }
        await cancelWhenGracefulShutdown { [self] in
            guard let api = try? await access.api() else { return }
            let start = clock.now()
            var next = intervals.mapValues { _ in start }
            while !Task.isCancelled {
                let now = clock.now()
                for vin in next.keys.sorted() where next[vin]! <= now {
                    if Task.isCancelled { return }
                    if owns?(vin) ?? true { await poll(vin, api: api) }
                    next[vin] = max(now, next[vin]!).addingTimeInterval(intervals[vin]!)
                }
                guard let due = next.values.min() else { return }
                do { try await clock.sleep(until: due) } catch { return }
            }
        }
    }

    private func poll(_ vin: String, api: any VehicleAPI) async {
        do {
            let status = try await api.status(vin: vin)
            let at = clock.now()
            metrics.increment(RuntimeMetrics.apiCalls, ["operation": "status", "result": "ok"])
            metrics.increment(RuntimeMetrics.polls, ["result": "ok"])
            let decoded = StatusDecoder.decode(status.json)
            engine.submitPoll(vin: vin, at: at, observation: decoded.observation)
        } catch {
            metrics.increment(RuntimeMetrics.apiCalls, ["operation": "status", "result": "error"])
            metrics.increment(RuntimeMetrics.polls, ["result": "error"])
            logger.warning("status poll failed", metadata: ["vin": "\(vin)", "error": "\(error)"])
        }
    }
}

extension ServeRuntime {
    /// VIN → seconds between polls: the vehicles of the inventory with a rule the
    /// compiler placed on polling (or a prefilter needing fresh data), at the shortest
    /// interval it chose for them.
    package static func pollIntervals(bundles: [CheckedBundle], inventory: Inventory,
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
