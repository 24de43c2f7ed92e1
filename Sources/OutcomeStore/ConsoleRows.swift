import Foundation

/// What the web console reads from the outcome log (docs/console.md): plain rows, no
/// engine types (the console decodes the engine's per-vehicle snapshots itself).
public enum ConsoleRows {
    /// One vehicle's saved engine state (`engineState`, the JSON of a `VehicleSnapshot`).
    public struct VehicleState: Sendable, Hashable {
        public var vin: String
        public var state: Data
        public var updatedAt: Date
    }

    /// A decision, without its actions.
    public struct Decision: Sendable, Hashable {
        public var id: Int64
        public var at: Date
        public var vin: String
        public var bundle: String
        public var rule: String
        /// `fired` or `suppressed`.
        public var event: String
        public var reason: String?
        public var inboxId: Int64?
    }

    /// The last fired and the last suppressed decision of one rule for one vehicle.
    public struct RuleHistory: Sendable, Hashable {
        public var lastFired: Decision?
        public var lastSuppressed: Decision?
    }

    /// One remote progress notification (Pending, Done…) applied to a command.
    public struct RemoteEvent: Sendable, Hashable {
        public var type: String
        public var status: String
        public var failureCause: String?
        public var eventDate: String?
        public var receivedAt: Date
    }

    /// One action of a decision with each attempt and the progress notifications received.
    public struct ActionLife: Sendable, Hashable {
        public var action: ActionRecord
        public var attempts: [ActionAttemptRecord]
        public var remoteEvents: [RemoteEvent]
    }

    /// A decision's trace: the decision, the notification that caused it (nil: a timer),
    /// and its actions' lives.
    public struct Trace: Sendable, Hashable {
        public var decision: Decision
        /// The stored notification the engine was processing (nil: a timer or a sweep).
        public var cause: InboxRecord?
        /// The actions as the engine rendered them (JSON, as `vigie dry-run` prints them).
        public var renderedActions: String
        public var actions: [ActionLife]
    }

    /// The overview's figures.
    public struct Overview: Sendable, Hashable {
        public var vehicles: Int
        public var firedLastHour: Int
        public var suppressedLastHour: Int
        public var inboxUnprocessed: Int
        public var outboxQueued: Int
        public var outboxInFlight: Int
        public var deadLetters: Int
        /// The newest inbox id (0: none), to follow the intake.
        public var lastInboxId: Int64
    }
}
