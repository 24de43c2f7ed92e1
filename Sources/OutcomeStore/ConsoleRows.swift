import Foundation

/// What the web console reads from the outcome log (docs/console.md): plain rows, no
/// engine types (the console decodes the engine's per-vehicle snapshots itself).
package enum ConsoleRows {
    /// One vehicle's saved engine state (`engineState`, the JSON of a `VehicleSnapshot`).
    package struct VehicleState: Sendable, Hashable {
        package var vin: String
        package var state: Data
        package var updatedAt: Date
    }

    /// A decision, without its actions.
    package struct Decision: Sendable, Hashable {
        package var id: Int64
        package var at: Date
        package var vin: String
        package var bundle: String
        package var rule: String
        /// `fired` or `suppressed`.
        package var event: String
        package var reason: String?
        package var inboxId: Int64?
    }

    /// The last fired and the last suppressed decision of one rule for one vehicle.
    package struct RuleHistory: Sendable, Hashable {
        package var lastFired: Decision?
        package var lastSuppressed: Decision?
    }

    /// One remote progress notification (Pending, Done…) applied to a command.
    package struct RemoteEvent: Sendable, Hashable {
        package var type: String
        package var status: String
        package var failureCause: String?
        package var eventDate: String?
        package var receivedAt: Date
    }

    /// One action of a decision with each attempt and the progress notifications received.
    package struct ActionLife: Sendable, Hashable {
        package var action: ActionRecord
        package var attempts: [ActionAttemptRecord]
        package var remoteEvents: [RemoteEvent]
    }

    /// A decision's trace: the decision, the notification that caused it (nil: a timer),
    /// and its actions' lives.
    package struct Trace: Sendable, Hashable {
        package var decision: Decision
        /// The stored notification the engine was processing (nil: a timer or a sweep).
        package var cause: InboxRecord?
        /// The actions as the engine rendered them (JSON, as `vigie dry-run` prints them).
        package var renderedActions: String
        package var actions: [ActionLife]
    }

    /// The overview's figures.
    package struct Overview: Sendable, Hashable {
        package var vehicles: Int
        package var firedLastHour: Int
        package var suppressedLastHour: Int
        package var inboxUnprocessed: Int
        package var outboxQueued: Int
        package var outboxInFlight: Int
        package var deadLetters: Int
        /// The newest inbox id (0: none), to follow the intake.
        package var lastInboxId: Int64
    }
}
