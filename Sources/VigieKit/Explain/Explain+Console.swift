import Console
import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage

extension Explain {
    /// The console's trace page `--explain` view: `vigie explain`'s own rebuild (`replay`:
    /// the engine checkpoint when it is not later than the decision, else the stored inbox
    /// from its start) for the decision's vehicle, rule and instant.
    package static func consoleExplainer(bundles: [CheckedBundle], inventory: Inventory?, reorderWindow: Double)
        -> @Sendable (OutcomeDatabase) -> ConsoleExplainer {
        { database in
            { vin, bundle, rule, at in
                let rows = try database.inbox()
                let inbox = ExplainInbox(rows: rows, reorderWindow: reorderWindow)
                let answer = try replay(inbox, rows: rows, database: database, bundles: bundles, inventory: inventory,
                                        vin: vin, bundle: bundle, rule: rule, at: Timestamp.millis(at))
                return ConsoleExplanation(explanation: answer.explanation, replay: answer.replayText)
            }
        }
    }
}
