import Foundation

// The console's rows built from outside this module (their memberwise initialisers are
// internal): PostgresStore+Console.swift builds the same rows from PostgreSQL.
extension ConsoleRows.VehicleState {
    package static func make(vin: String, state: Data, updatedAt: Date) -> Self {
        Self(vin: vin, state: state, updatedAt: updatedAt)
    }
}

extension ConsoleRows.Decision {
    package static func make(id: Int64, at: Date, vin: String, bundle: String, rule: String, event: String, reason: String?,
                inboxId: Int64?) -> Self {
        Self(id: id, at: at, vin: vin, bundle: bundle, rule: rule, event: event, reason: reason, inboxId: inboxId)
    }
}

extension ConsoleRows.RemoteEvent {
    package static func make(type: String, status: String, failureCause: String?, eventDate: String?, receivedAt: Date) -> Self {
        Self(type: type, status: status, failureCause: failureCause, eventDate: eventDate, receivedAt: receivedAt)
    }
}

extension ConsoleRows.ActionLife {
    package static func make(action: ActionRecord, attempts: [ActionAttemptRecord], remoteEvents: [ConsoleRows.RemoteEvent]) -> Self {
        Self(action: action, attempts: attempts, remoteEvents: remoteEvents)
    }
}

extension ConsoleRows.Trace {
    package static func make(decision: ConsoleRows.Decision, cause: InboxRecord?, renderedActions: String,
                actions: [ConsoleRows.ActionLife]) -> Self {
        Self(decision: decision, cause: cause, renderedActions: renderedActions, actions: actions)
    }
}

extension ConsoleRows.Overview {
    package static func make(vehicles: Int, firedLastHour: Int, suppressedLastHour: Int, inboxUnprocessed: Int, outboxQueued: Int,
                outboxInFlight: Int, deadLetters: Int, lastInboxId: Int64) -> Self {
        Self(vehicles: vehicles, firedLastHour: firedLastHour, suppressedLastHour: suppressedLastHour,
                  inboxUnprocessed: inboxUnprocessed, outboxQueued: outboxQueued, outboxInFlight: outboxInFlight,
                  deadLetters: deadLetters, lastInboxId: lastInboxId)
    }
}

extension ConsoleRows.RuleHistory {
    package static func make(lastFired: ConsoleRows.Decision? = nil, lastSuppressed: ConsoleRows.Decision? = nil) -> Self {
        Self(lastFired: lastFired, lastSuppressed: lastSuppressed)
    }
}
