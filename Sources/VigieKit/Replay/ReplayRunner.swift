import RuleEngine
import RuleLanguage
import VehicleData

/// Drives a `RuleEngine` over replay events: observations at their `at`, timers in
/// between, up to the last line or `until`. Used by `vigie dry-run` and `vigie test`.
package struct ReplayRunner: Sendable {
    package struct Output: Sendable {
        package var decisions: [Decision]
        package var explanations: [Explanation]
        /// Explanations interleaved with decisions, in the order they happened.
        package var timeline: [TimelineItem]
    }

    package enum TimelineItem: Sendable, Hashable {
        case decision(Decision)
        case explanation(Explanation)
    }

    package var bundles: [CheckedBundle]
    package var inventory: Inventory?
    package var options: RuleEngine.Options
    package var explain: Set<String>

    package init(bundles: [CheckedBundle], inventory: Inventory? = nil, options: RuleEngine.Options = .init(),
                explain: Set<String> = []) {
        self.bundles = bundles
        self.inventory = inventory
        self.options = options
        self.explain = explain
    }

    package func makeEngine() -> RuleEngine {
        RuleEngine(bundles: bundles, inventory: inventory, options: options)
    }

    /// Replays `events` (non-decreasing `at`) and, when given, runs the timers up to `until`.
    package func run(_ events: [(at: Millis, vin: String, observation: Observation)], until: Millis? = nil) -> Output {
        let engine = makeEngine()
        return run(events, until: until, on: engine)
    }

    /// Same, on an engine that may carry restored state; `afterEach` sees the engine
    /// and the decisions of each event (e.g. to persist them with the engine state).
    package func run(_ events: [(at: Millis, vin: String, observation: Observation)], until: Millis? = nil,
                    on engine: RuleEngine, afterEach: ((RuleEngine, [Decision]) -> Void)? = nil) -> Output {
        var timeline: [TimelineItem] = []
        var explanations: [Explanation] = []
        var pending: [(index: Int, explanation: Explanation)] = []
        var decisions: [Decision] = []
        if !explain.isEmpty {
            engine.explainRules = explain
            engine.onExplain = { [unowned engine] in pending.append((engine.pendingDecisionCount, $0)) }
        }
        // An explanation precedes the decision its evaluation makes: it is recorded with
        // the number of decisions already made.
        func drain() -> [Decision] {
            let made = engine.takeDecisions()
            var next = 0
            for (index, e) in pending {
                while next < index { timeline.append(.decision(made[next])); next += 1 }
                timeline.append(.explanation(e))
                explanations.append(e)
            }
            while next < made.count { timeline.append(.decision(made[next])); next += 1 }
            pending.removeAll()
            decisions += made
            return made
        }
        for event in events {
            engine.observe(vin: event.vin, at: event.at, event.observation)
            let made = drain()
            afterEach?(engine, made)
        }
        if let until {
            engine.advance(to: until)
            let made = drain()
            afterEach?(engine, made)
        }
        return Output(decisions: decisions, explanations: explanations, timeline: timeline)
    }
}
