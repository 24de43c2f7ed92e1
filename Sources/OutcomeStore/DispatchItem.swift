import Foundation

/// A remote command as the dispatcher handles it: the outbox row, its action and the
/// decision it belongs to.
public struct DispatchItem: Sendable, Hashable {
    public var outboxId: Int64
    public var actionId: Int64
    public var firingId: Int64
    public var vin: String
    public var bundle: String
    public var rule: String
    /// The request body as POSTed (JSON text).
    public var body: String
    /// When the decision was made.
    public var decidedAt: Date
    /// The action's status (`queued`, `sending`, `sent`, `pending`).
    public var status: ActionStatus?
    /// Attempts so far.
    public var attempts: Int
    public var remoteActionId: String?
    public var sentAt: Date?
    /// When the current attempt started (for a command left `sending`).
    public var attemptStartedAt: Date?

    public init(outboxId: Int64, actionId: Int64, firingId: Int64, vin: String, bundle: String, rule: String,
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
    public var isWakeUp: Bool { body.hasPrefix("{\"wakeUp\"") }
}

/// A rule of a vehicle whose fired decision has no unfinished action left: the engine
/// is told (`actionsCompleted`), which matters for `mode: single / queued / restart`.
public struct FiringKey: Sendable, Hashable {
    public var vin: String
    public var bundle: String
    public var rule: String

    public init(vin: String, bundle: String, rule: String) {
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
    }
}

/// A remote progress notification, as the engine loop hands it to the store.
public struct DispatchRemoteEvent: Sendable, Hashable {
    public var remoteActionId: String
    /// `Pending` or `Done`.
    public var type: String
    public var status: String
    public var failureCause: String?
    public var eventDate: String?
    public var inboxId: Int64?

    public init(remoteActionId: String, type: String, status: String, failureCause: String? = nil,
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
public struct DispatchTransition: Sendable, Hashable {
    public var actionId: Int64
    public var vin: String
    /// The bundle and rule whose decision the action belongs to (for logs).
    public var bundle: String = ""
    public var rule: String = ""
    public var status: ActionStatus
    public var failureCause: String?
    /// Set when the action went back to the queue for another attempt.
    public var retryAt: Date?
    /// Set when this made its decision complete.
    public var completed: FiringKey?

    public init(actionId: Int64, vin: String, status: ActionStatus, failureCause: String?, retryAt: Date?,
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
public typealias DispatchRetryRule = @Sendable (_ failureCause: String?, _ attempts: Int) -> Date?
