import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage
import VehicleData
import VigieRuntime

/// `vigie explain`'s rebuild of ONE vehicle (and the console's trace page): the same answer
/// as replaying the whole inbox (`Explain.replayWhole`), reading only
///
/// - the vehicle's own inbox rows (index `inbox_vin`),
/// - the engine checkpoint with the vehicle's saved state only,
/// - for each of its notifications serve ordered by receiving time (received more than the
///   reorder window after its instant: "late"), every vehicle's rows received in the
///   window that can hold a notification ordered before it and dated after it (index
///   `inbox_received`): from its instant − 5 s (the clock skew tolerated) to its receiving
///   time.
///
/// Why this is exact (docs/explain.md "One vehicle, not the whole inbox"): the engine keeps
/// no state across vehicles but its clock; timers run at their own instant, ordered among
/// one vehicle by (instant, kind, rule); schedule windows are a function of the instant. So
/// a vehicle's evaluations depend on the others only through the clock an observation is
/// made at: `max(its instant, the latest instant observed before it)`. With a reorder
/// window W > 0 serve's order is by `key = max(at, received − W)`, per row. A notification
/// that is not late has `key = at`, and everything before it has `at ≤ key ≤ its at`: it is
/// observed at its own instant. A late one (`key = received − W > at`) can be preceded by a
/// later-dated row r only if `at < at_r ≤ received_r + 5 s` and `received_r − W ≤ key_r ≤
/// key = received − W`: r was received in `(at − 5 s, received]`, the window read. With
/// W = 0 serve's order is arrival order, and no receiving-time window bounds the rows
/// before a notification: `nil`, the caller replays the whole inbox.
///
/// "The engine" is the one that observes the vehicle (`scope`): on PostgreSQL with
/// partitions, its partition's engine, whose clock only that partition's rows move; the
/// window's rows of other partitions are left out.
struct ExplainTrace {
    var database: any RuntimeStore
    var scope: EngineScope
    var bundles: [CheckedBundle]
    var inventory: Inventory?
    var reorderWindow: Double

    /// The answer for `vin`, `bundle/rule` at `at` from `rows` (the vehicle's inbox rows,
    /// `inboxRows(vin:after: 0)`); nil when serve's order is arrival order (W = 0).
    func replay(rows: [InboxRecord], vin: String, bundle: String, rule: String, at: Millis) async throws -> ExplainAnswer? {
        guard reorderWindow > 0 else { return nil }
        let inbox = ExplainInbox(rows: rows, reorderWindow: reorderWindow)
        let runner = ReplayRunner(bundles: bundles, inventory: inventory, explain: ["\(bundle)/\(rule)"])
        func last(_ output: ReplayRunner.Output) -> Explanation? {
            output.explanations.last { $0.vin == vin && $0.bundle == bundle && $0.rule == rule && $0.at <= at }
        }
        let decision = try await Explain.lastDecision(database, vin: vin, bundle: bundle, rule: rule, at: at)
        var answer = ExplainAnswer(at: at, vin: vin, bundle: bundle, rule: rule, explanation: nil, lastDecision: decision,
                                   origin: .start, observed: 0, unusable: inbox.unusable)
        let (checkpoint, vehicleState) = try await database.engineState(scope: scope.name, vin: vin)
        if let checkpoint, let data = checkpoint.state {
            let state = try JSONDecoder().decode(CheckpointHeader.self, from: data)
            if let clock = state.now, clock <= at {
                // What the whole rebuild restores of this vehicle: its state, unless an older
                // checkpoint lists its vehicles and not this one (a row without `order`).
                var vehicles: [VehicleSnapshot] = []
                if let vehicleState {
                    let placed = try JSONDecoder().decode(VehicleOrder.self, from: vehicleState).order != nil
                    if state.vehicles == nil || placed || state.vehicles?.contains(vin) == true {
                        vehicles.append(try JSONDecoder().decode(VehicleSnapshot.self, from: vehicleState))
                    }
                }
                // Commands count as finished, as in a dry run.
                for v in vehicles.indices {
                    for r in vehicles[v].rules.indices { vehicles[v].rules[r].running = 0 }
                }
                let position = checkpoint.position
                let fed: (ExplainInbox.Input) -> Bool = { !$0.processed && $0.inboxId > position && $0.at <= at }
                let after = try await clocked(inbox.inputs.filter(fed), fed: fed)
                let engine = runner.makeEngine()
                if engine.restore(EngineSnapshot(version: state.version, now: clock, vehicles: vehicles)).isEmpty {
                    let output = runner.run(after, until: at, on: engine)
                    if let explanation = last(output) {
                        answer.explanation = explanation
                        answer.origin = .checkpoint(at: clock, position: position)
                        answer.observed = after.count
                        return answer
                    }
                }
            }
        }
        let fed: (ExplainInbox.Input) -> Bool = { $0.at <= at }
        let all = try await clocked(inbox.inputs.filter(fed), fed: fed)
        answer.explanation = last(runner.run(all, until: at))
        answer.observed = all.count
        return answer
    }

    /// The checkpoint's header as `DecisionRecorder` writes it (its vehicles' states are
    /// rows); older checkpoints list every VIN.
    private struct CheckpointHeader: Decodable {
        var version: Int
        var now: Millis?
        var vehicles: [String]?
    }

    /// A vehicle row's place in first-seen order (rows of older checkpoints have none).
    private struct VehicleOrder: Decodable {
        var order: Int?
    }

    /// `inputs` (in serve's order) as replay events at the clock serve observed each at:
    /// its instant, or for a late one the latest instant of the notifications `fed` to the
    /// whole rebuild that serve ordered before it, when later. Only the window rows dated
    /// after a late input and ordered before it (from their columns) are parsed, latest
    /// first, until one is a notification serve observes.
    func clocked(_ inputs: [ExplainInbox.Input], fed: (ExplainInbox.Input) -> Bool) async throws
        -> [(at: Millis, vin: String, observation: Observation)] {
        let late = inputs.filter(\.isLate)
        var clock: [Int64: Millis] = [:]
        if !late.isEmpty {
            let window = try await rowsBefore(late).compactMap { row -> (row: InboxRecord, id: Int64, at: Millis, key: Millis)? in
                guard let id = row.id else { return nil }
                let (at, received) = ExplainInbox.instant(of: row)
                return (row, id, at, ExplainInbox.key(at: at, received: received, reorderWindow: reorderWindow))
            }.sorted { $0.at > $1.at }
            var observed: [Int64: ExplainInbox.Input?] = [:]
            for e in late {
                for r in window {
                    guard r.at > e.at else { break }
                    guard (r.key, r.id) < (e.key, e.inboxId) else { continue }
                    let input = observed[r.id] ?? ExplainInbox(rows: [r.row], reorderWindow: reorderWindow).inputs.first
                    observed[r.id] = input
                    if let input, fed(input) {
                        clock[e.inboxId] = input.at
                        break
                    }
                }
            }
        }
        return inputs.map { input in (max(input.at, clock[input.inboxId] ?? .min), input.vin, input.observation) }
    }

    /// The engine's rows (every vehicle's, or the partition's) that may be ordered before a
    /// late input and dated after it (one read per run of overlapping windows), one second
    /// wider each side than needed (the store's time precision): the order is decided on
    /// the inputs, not the window.
    private func rowsBefore(_ late: [ExplainInbox.Input]) async throws -> [InboxRecord] {
        let skew = Millis(ExplainInbox.maxClockSkew * 1000)
        var windows = late.map { (from: $0.at - skew - 1000, through: $0.received + 1000) }.sorted { $0.from < $1.from }
        var merged: [(from: Millis, through: Millis)] = []
        for w in windows {
            if let lastWindow = merged.last, w.from <= lastWindow.through {
                merged[merged.count - 1].through = max(lastWindow.through, w.through)
            } else {
                merged.append(w)
            }
        }
        windows = merged
        var rows: [InboxRecord] = []
        for w in windows {
            rows += try await database.inboxRows(receivedFrom: Timestamp.date(w.from), through: Timestamp.date(w.through))
                .filter { scope.observes($0.vin) }
        }
        return rows
    }
}
