import Foundation

/// Everything one engine step hands to the store, committed in ONE transaction:
/// its decisions, the remote commands they imply (outbox), the engine's new state
/// for the vehicles it touched, how far the input was consumed, and which inbox
/// notifications are now processed. Either all of it is on disk or none of it is.
package struct DecisionCommit: Sendable, Hashable {
    /// What to do with the remote actions of fired decisions.
    package enum Dispatch: Sendable, Hashable {
        /// Queue them in the outbox for the dispatcher (`vigie serve`).
        case enqueue
        /// Record them as `notSent` (`vigie dry-run --db`: no API is called).
        case recordOnly
    }

    /// Names whose engine state this is (`serve`, `dry-run`, …).
    package var scope: String
    package var decisions: [DecisionRecord]
    /// VIN → the engine's snapshot of that vehicle.
    package var vehicleStates: [String: Data]
    package var checkpoint: Checkpoint?
    package var processedInboxIds: [Int64]
    package var dispatch: Dispatch

    package struct Checkpoint: Sendable, Hashable {
        /// How far the input was consumed (lines, inbox id, …: the scope's own unit).
        package var position: Int64
        /// The engine's clock at that point.
        package var at: Date?
        /// The engine-wide part of the snapshot (timers…), if the engine keeps one.
        package var state: Data?

        package init(position: Int64, at: Date? = nil, state: Data? = nil) {
            self.position = position
            self.at = at
            self.state = state
        }
    }

    package init(scope: String, decisions: [DecisionRecord] = [], vehicleStates: [String: Data] = [:],
                checkpoint: Checkpoint? = nil, processedInboxIds: [Int64] = [],
                dispatch: Dispatch = .enqueue) {
        self.scope = scope
        self.decisions = decisions
        self.vehicleStates = vehicleStates
        self.checkpoint = checkpoint
        self.processedInboxIds = processedInboxIds
        self.dispatch = dispatch
    }
}
