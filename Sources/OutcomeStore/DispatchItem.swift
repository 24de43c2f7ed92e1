import Foundation

/// A remote command as the dispatcher handles it: the outbox row, its action and the
/// decision it belongs to.
package struct DispatchItem: Sendable, Hashable {
    package var outboxId: Int64
    package var actionId: Int64
    package var firingId: Int64
    package var vin: String
    package var bundle: String
    package var rule: String
    /// The request body as POSTed (JSON text).
    package var body: String
    /// When the decision was made.
    package var decidedAt: Date
    /// The action's status (`queued`, `sending`, `sent`, `pending`).
    package var status: ActionStatus?
    /// Attempts so far.
    package var attempts: Int
    package var remoteActionId: String?
    package var sentAt: Date?
    /// When the current attempt started (for a command left `sending`).
    package var attemptStartedAt: Date?

    package init(outboxId: Int64, actionId: Int64, firingId: Int64, vin: String, bundle: String, rule: String,
                body: String, decidedAt: Date, status: ActionStatus?, attempts: Int, remoteActionId: String?,
                sentAt: Date?, attemptStartedAt: Date?) {
        self.outboxId = outboxId
        self.actionId = actionId
        self.firingId = firingId
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.body = body
        self.decidedAt = decidedAt
        self.status = status
        self.attempts = attempts
        self.remoteActionId = remoteActionId
        self.sentAt = sentAt
        self.attemptStartedAt = attemptStartedAt
    }

    /// Whether the body is a `wakeUp` command (the store spells bodies with sorted keys,
    /// so the action key is the only top-level key).
    package var isWakeUp: Bool { body.hasPrefix("{\"wakeUp\"") }
}

/// A remote progress notification, as the engine loop hands it to the store.
package struct DispatchRemoteEvent: Sendable, Hashable {
    package var remoteActionId: String
    /// `Pending` or `Done`.
    package var type: String
    package var status: String
    package var failureCause: String?
    package var eventDate: String?
    package var inboxId: Int64?

    package init(remoteActionId: String, type: String, status: String, failureCause: String? = nil,
                eventDate: String? = nil, inboxId: Int64? = nil) {
        self.remoteActionId = remoteActionId
        self.type = type
        self.status = status
        self.failureCause = failureCause
        self.eventDate = eventDate
        self.inboxId = inboxId
    }
}

/// What became of an action when the store moved it (for logs and metrics).
package struct DispatchTransition: Sendable, Hashable {
    package var actionId: Int64
    package var vin: String
    /// The bundle and rule whose decision the action belongs to (for logs).
    package var bundle: String = ""
    package var rule: String = ""
    package var status: ActionStatus
    package var failureCause: String?
    /// Set when the action went back to the queue for another attempt.
    package var retryAt: Date?
    /// Set when this made its decision complete.
    package var completed: FiringKey?

    package init(actionId: Int64, vin: String, status: ActionStatus, failureCause: String?, retryAt: Date?,
                completed: FiringKey?) {
        self.actionId = actionId
        self.vin = vin
        self.status = status
        self.failureCause = failureCause
        self.retryAt = retryAt
        self.completed = completed
    }
}

/// Decides whether a `Done / Failed` with a cause is tried again: the instant of the
/// next attempt, or nil for a final failure. Given the cause and the attempts so far.
package typealias DispatchRetryRule = @Sendable (_ failureCause: String?, _ attempts: Int) -> Date?
