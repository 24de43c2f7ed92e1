import Foundation
import RuleEngine

/// The `--explain` view of a decision on its trace page: the rule's evaluation for the
/// vehicle at the decision's instant — each sub-condition with the values it read and its
/// truth — rebuilt as `vigie explain` rebuilds it (from the engine checkpoint or the
/// start of the stored inbox), and how it was rebuilt.
package struct ConsoleExplanation: Sendable {
    /// nil: the rule was never evaluated for the vehicle at or before the instant.
    package var explanation: Explanation?
    /// `replayed N notifications up to T from …` (as the last line of `vigie explain`).
    package var replay: String

    package init(explanation: Explanation?, replay: String) {
        self.explanation = explanation
        self.replay = replay
    }
}

/// Rebuilds a rule's evaluation for a vehicle at an instant (`vigie explain`'s logic, given
/// by the command that mounts the console: `Explain.consoleExplainer`).
package typealias ConsoleExplainer = @Sendable (_ vin: String, _ bundle: String, _ rule: String, _ at: Date) async throws
    -> ConsoleExplanation
