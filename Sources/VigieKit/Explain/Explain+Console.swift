import Console
import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage

extension Explain {
    /// The console's trace page `--explain` view: `vigie explain`'s own rebuild (`replay`:
    /// the engine checkpoint when it is not later than the decision, else the stored inbox
    /// from its start; the vehicle's rows only with a reorder window) for the decision's
    /// vehicle, rule and instant, on the runtime's store (SQLite or PostgreSQL).
    package static func consoleExplainer(bundles: [CheckedBundle], inventory: Inventory?, reorderWindow: Double)
        -> @Sendable (any RuntimeStore) -> ConsoleExplainer {
        { database in
            { vin, bundle, rule, at in
                let answer = try await replay(database: database, bundles: bundles, inventory: inventory, reorderWindow: reorderWindow,
                                        vin: vin, bundle: bundle, rule: rule, at: Timestamp.millis(at))
                return ConsoleExplanation(explanation: answer.explanation, replay: answer.replayText)
            }
        }
    }
}

extension Explain {
    /// `vigie explain`'s answer text for `vin`, `bundle/rule` at `at` (`vigie bench console`):
    /// the vehicle's own rows (`replay`), or with `wholeInbox` the whole-inbox rebuild it
    /// replaced (`replayWhole`), to time both on the same database.
    package static func answerText(database: OutcomeDatabase, bundles: [CheckedBundle], reorderWindow: Double,
                                   vin: String, bundle: String, rule: String, at: Date, wholeInbox: Bool) async throws
        -> String {
        if wholeInbox {
            let rows = try database.inbox()
            return try await replayWhole(ExplainInbox(rows: rows, reorderWindow: reorderWindow), rows: rows, database: database,
                                   bundles: bundles, inventory: nil, vin: vin, bundle: bundle, rule: rule,
                                   at: Timestamp.millis(at)).text
        }
        return try await replay(database: database, bundles: bundles, inventory: nil, reorderWindow: reorderWindow, vin: vin,
                          bundle: bundle, rule: rule, at: Timestamp.millis(at)).text
    }
}
