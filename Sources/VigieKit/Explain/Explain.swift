import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage
import VehicleData
import VigieRuntime

/// `vigie explain --db DB --vin V --rule R [--at T]`: why did (or didn't) this rule fire
/// for this vehicle at T. Rebuilt from the outcome store (SQLite, or PostgreSQL with
/// `--config`): the engine checkpoint serve saved for the vehicle's engine (scope `serve`,
/// or `serve/p<N>` with partitions: `RuntimeStore.engineScope`) when its clock is at or
/// before T, else an empty engine; then the stored notifications up to T (`ExplainInbox`)
/// that engine observed, through the engine `dry-run` uses, with `--explain` on that rule;
/// the answer is the rule's last evaluation for the vehicle (the `dry-run --explain`
/// block), and the last decision recorded for them at or before T. Exit 0, 1 (store,
/// configuration or rule errors), 64 (usage). docs/explain.md.
package enum Explain {
    /// The engine state scope `vigie serve` saves its checkpoint under.
    static let scope = "serve"

    package static func run(_ options: ExplainOptions, now: Date = Date(),
                           in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) async
        -> CommandOutput {
        switch await explain(options, now: now, in: directory) {
        case .success(let (answer, warnings)):
            return CommandOutput(stdout: options.format == .json ? answer.json : answer.text, stderr: warnings, exitCode: 0)
        case .failure(let failure):
            return CommandOutput(stderr: failure.message, exitCode: failure.exitCode)
        }
    }

    static func explain(_ options: ExplainOptions, now: Date, in directory: URL) async
        -> Result<(ExplainAnswer, String), ReplayInputs.Failure> {
        func usage(_ message: String) -> Result<(ExplainAnswer, String), ReplayInputs.Failure> {
            .failure(ReplayInputs.Failure(message: "error: \(message)\n", exitCode: 64))
        }
        func failure(_ message: String) -> Result<(ExplainAnswer, String), ReplayInputs.Failure> {
            .failure(ReplayInputs.Failure(message: "error: \(message)\n", exitCode: 1))
        }
        // The instant.
        var at = Timestamp.millis(now)
        if let text = options.at {
            guard let instant = LogTimeArgument.parse(text, now: now) else {
                return usage("--at '\(text)': expected an RFC 3339 instant (2026-03-02T22:00:00Z), "
                    + "a date (2026-03-02) or a duration back from now (30m, 2h, 7d)")
            }
            at = Timestamp.millis(instant)
        }
        let inputs: ExplainInputs
        switch ExplainInputs.load(options, in: directory) {
        case .success(let loaded): inputs = loaded
        case .failure(let f): return .failure(f)
        }
        let (bundles, warnings) = (inputs.bundles, inputs.warnings)
        // How errors name the store: `--db FILE` or `--config FILE` (a PostgreSQL error names
        // the URL, never its password).
        let label: String
        switch inputs.store {
        case .sqlite(let path): label = "--db \(path)"
        case .postgres: label = "--config \(options.configPath ?? "")"
        }
        // The rule.
        let (bundle, rule): (String, String)
        switch resolveRule(options.rule, in: bundles) {
        case .success(let found): (bundle, rule) = found
        case .failure(let f): return .failure(f)
        }
        // The store, the vehicle, the replay.
        enum Outcome: Sendable {
            case answer(ExplainAnswer)
            case unknownVehicle(hint: String)
        }
        let outcome: Outcome
        do {
            outcome = try await inputs.store.with { database -> Outcome in
                let rows = try await database.inboxRows(vin: options.vin, after: 0)
                let decided = try await !database.loggedDecisions(LogFilter(vin: options.vin, limit: 1)).isEmpty
                guard !rows.isEmpty || decided else {
                    // Every VIN the store knows, only now (reading all decisions is not free).
                    let known = Set(try await database.inboxVINs())
                        .union(try await database.loggedDecisions(LogFilter()).map(\.firing.vin))
                    return .unknownVehicle(hint: ReplayEvents.nearest(options.vin, in: known.sorted())
                        .map { "; did you mean \($0)?" } ?? "")
                }
                return .answer(try await replay(database: database, vehicleRows: rows, bundles: bundles,
                                                inventory: inputs.inventory, reorderWindow: inputs.reorderWindow,
                                                vin: options.vin, bundle: bundle, rule: rule, at: at))
            }
        } catch {
            return failure("\(label): \(error)")
        }
        switch outcome {
        case .answer(let answer):
            return .success((answer, warnings))
        case .unknownVehicle(let hint):
            let place: String
            switch inputs.store {
            case .sqlite(let path): place = path
            case .postgres: place = inputs.store.name
            }
            return failure("--vin \(options.vin): no notification nor decision of this vehicle in \(place)\(hint)")
        }
    }

    /// The answer: the vehicle's own rows (`ExplainTrace`) with a reorder window, else the
    /// rows its engine observed (`replayWhole`: in arrival order, every earlier row may set
    /// the clock). `vehicleRows`: `inboxRows(vin:after: 0)` when already read.
    static func replay(database: any RuntimeStore, vehicleRows: [InboxRecord]? = nil, bundles: [CheckedBundle],
                       inventory: Inventory?, reorderWindow: Double, vin: String, bundle: String, rule: String,
                       at: Millis) async throws -> ExplainAnswer {
        let scope = try await database.engineScope(base: Self.scope, vin: vin)
        let trace = ExplainTrace(database: database, scope: scope, bundles: bundles, inventory: inventory,
                                 reorderWindow: reorderWindow)
        let own: [InboxRecord]
        if let vehicleRows { own = vehicleRows } else { own = try await database.inboxRows(vin: vin, after: 0) }
        if let answer = try await trace.replay(rows: own, vin: vin, bundle: bundle, rule: rule, at: at) {
            return answer
        }
        let rows = try await engineRows(database, scope: scope)
        return try await replayWhole(ExplainInbox(rows: rows, reorderWindow: reorderWindow), rows: rows, database: database,
                                     scope: scope, bundles: bundles, inventory: inventory, vin: vin, bundle: bundle,
                                     rule: rule, at: at)
    }

    /// Every inbox row the engine of `scope` observes, in id order.
    static func engineRows(_ database: any RuntimeStore, scope: EngineScope) async throws -> [InboxRecord] {
        try await database.inboxRows(receivedFrom: .distantPast, through: .distantFuture).filter { scope.observes($0.vin) }
    }

    /// The last decision recorded for the vehicle and rule at or before `at`.
    static func lastDecision(_ database: any RuntimeStore, vin: String, bundle: String, rule: String, at: Millis)
        async throws -> LoggedDecision? {
        try await database.loggedDecisions(LogFilter(vin: vin, rule: rule, bundle: bundle,
                                                     until: Date(timeIntervalSince1970: Double(at + 1) / 1000),
                                                     limit: 1)).last
    }

    /// `RULE` or `BUNDLE/RULE` among the loaded bundles; did-you-mean when unknown.
    static func resolveRule(_ name: String, in bundles: [CheckedBundle]) -> Result<(String, String), ReplayInputs.Failure> {
        let all = bundles.flatMap { b in b.rules.map { (b.name, $0.id) } }
        let matches = all.filter { $0.1 == name || "\($0.0)/\($0.1)" == name }
        if matches.count == 1 { return .success(matches[0]) }
        if matches.count > 1 {
            let names = matches.map { "\($0.0)/\($0.1)" }.joined(separator: ", ")
            return .failure(ReplayInputs.Failure(message: "error: --rule \(name) is in several bundles: write one of \(names)\n",
                                                 exitCode: 64))
        }
        let candidates = name.contains("/") ? all.map { "\($0.0)/\($0.1)" } : all.map(\.1)
        let hint = ReplayEvents.nearest(name, in: candidates).map { "; did you mean `\($0)`?" } ?? ""
        return .failure(ReplayInputs.Failure(message: "error: --rule \(name): no such rule (write RULE or BUNDLE/RULE)\(hint)\n",
                                             exitCode: 1))
    }

    /// The whole-inbox rebuild: restores the checkpoint of the vehicle's engine (`scope`,
    /// every vehicle) when its clock is at or before `at` and replays every notification
    /// serve had not yet observed then; when that gives no evaluation of the rule for the
    /// vehicle, replays the engine's whole inbox (`rows`) from its start. `ExplainTrace` gives
    /// the same answer from the vehicle's rows (tests compare them).
    static func replayWhole(_ inbox: ExplainInbox, rows: [InboxRecord], database: any RuntimeStore,
                            scope: EngineScope = EngineScope(name: Explain.scope), bundles: [CheckedBundle],
                            inventory: Inventory?, vin: String, bundle: String, rule: String, at: Millis) async throws
        -> ExplainAnswer {
        let runner = ReplayRunner(bundles: bundles, inventory: inventory, explain: ["\(bundle)/\(rule)"])
        func last(_ output: ReplayRunner.Output) -> Explanation? {
            output.explanations.last { $0.vin == vin && $0.bundle == bundle && $0.rule == rule && $0.at <= at }
        }
        func events(_ inputs: [ExplainInbox.Input]) -> [(at: Millis, vin: String, observation: Observation)] {
            inputs.filter { $0.at <= at }.map { ($0.at, $0.vin, $0.observation) }
        }
        let decision = try await lastDecision(database, vin: vin, bundle: bundle, rule: rule, at: at)
        var answer = ExplainAnswer(at: at, vin: vin, bundle: bundle, rule: rule, explanation: nil, lastDecision: decision,
                                   origin: .start, observed: 0, unusable: inbox.unusable)
        if let saved = try await savedSnapshot(database, scope: scope.name), let clock = saved.snapshot.now, clock <= at {
            let unobserved = Set(rows.filter { !$0.processed && ($0.id ?? 0) > saved.position }.compactMap(\.id))
            let after = events(inbox.inputs.filter { unobserved.contains($0.inboxId) })
            let engine = runner.makeEngine()
            var snapshot = saved.snapshot
            // Commands count as finished, as in a dry run (the decisions table says what became of them).
            for v in snapshot.vehicles.indices {
                for r in snapshot.vehicles[v].rules.indices { snapshot.vehicles[v].rules[r].running = 0 }
            }
            if engine.restore(snapshot).isEmpty {
                let output = runner.run(after, until: at, on: engine)
                if let explanation = last(output) {
                    answer.explanation = explanation
                    answer.origin = .checkpoint(at: clock, position: saved.position)
                    answer.observed = after.count
                    return answer
                }
            }
        }
        let all = events(inbox.inputs)
        let output = runner.run(all, until: at)
        answer.explanation = last(output)
        answer.observed = all.count
        return answer
    }

    /// The saved engine state of `scope` (every vehicle) and its inbox position, as serve
    /// restores it (`EngineCheckpointCodec`).
    static func savedSnapshot(_ database: any RuntimeStore, scope: String) async throws
        -> (snapshot: EngineSnapshot, position: Int64)? {
        let (checkpoint, rows) = try await database.engineState(scope: scope)
        guard let checkpoint, let state = checkpoint.state else { return nil }
        return (try EngineCheckpointCodec().decode(checkpoint: state, rows: rows).snapshot, checkpoint.position)
    }
}
