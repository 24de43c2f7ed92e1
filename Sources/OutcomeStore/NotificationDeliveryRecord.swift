import Foundation

/// One delivery of a notification through one channel (a row of `notificationDelivery`).
///
/// Statuses: `queued` (waiting, due at `notBefore`), `sending` (claimed by a notifier until
/// `leaseUntil`; a claim left by a crashed process is taken again once its lease ends),
/// `retrying` (an attempt failed in a way worth retrying; due again at `notBefore`),
/// and the final `delivered`, `failed` (refused for good: a configuration error) and
/// `expired` (still not delivered after the channel's `max_age`).
package struct NotificationDeliveryRecord: Sendable, Hashable {
    package enum Status: String, Sendable, Hashable, CaseIterable, Codable {
        case queued, sending, retrying, delivered, failed, expired

        package var isFinal: Bool { self == .delivered || self == .failed || self == .expired }
    }

    package var id: Int64
    /// The stable id a receiver deduplicates on (`webhook-id`, the e-mail's Message-ID…),
    /// the same on every attempt.
    package var deliveryId: String
    package var channel: String
    package var request: NotificationRequest
    /// The notify action that made it, for a rule's notification.
    package var firingId: Int64?
    package var actionId: Int64?
    package var status: Status
    /// Attempts started (the current one included while `sending`).
    package var attempts: Int
    package var notBefore: Date
    package var leaseUntil: Date?
    package var createdAt: Date
    package var updatedAt: Date
    package var finishedAt: Date?
    package var lastHTTPStatus: Int?
    /// The last attempt's answer or reason (never a secret: the channels redact them).
    package var lastDetail: String?

    package init(id: Int64, deliveryId: String, channel: String, request: NotificationRequest, firingId: Int64? = nil,
                actionId: Int64? = nil, status: Status, attempts: Int, notBefore: Date, leaseUntil: Date? = nil,
                createdAt: Date, updatedAt: Date, finishedAt: Date? = nil, lastHTTPStatus: Int? = nil,
                lastDetail: String? = nil) {
        self.id = id
        self.deliveryId = deliveryId
        self.channel = channel
        self.request = request
        self.firingId = firingId
        self.actionId = actionId
        self.status = status
        self.attempts = attempts
        self.notBefore = notBefore
        self.leaseUntil = leaseUntil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
        self.lastHTTPStatus = lastHTTPStatus
        self.lastDetail = lastDetail
    }

    /// A new stable delivery id: `ntf_` and 32 hex digits (random, never reused).
    package static func newDeliveryId() -> String {
        "ntf_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}

/// One attempt at a delivery (a row of `notificationAttempt`). `outcome` is nil while the
/// attempt runs, and stays nil for an attempt its process did not live to record
/// (`vigie log` shows it as `interrupted`).
package struct NotificationAttemptRecord: Sendable, Hashable {
    package var deliveryRowId: Int64
    package var attempt: Int
    package var startedAt: Date
    package var finishedAt: Date?
    /// `delivered`, `retryable`, `failed`, `expired`, or nil.
    package var outcome: String?
    package var httpStatus: Int?
    package var detail: String?

    package init(deliveryRowId: Int64, attempt: Int, startedAt: Date, finishedAt: Date? = nil, outcome: String? = nil,
                httpStatus: Int? = nil, detail: String? = nil) {
        self.deliveryRowId = deliveryRowId
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.detail = detail
    }
}

/// How an attempt ended, as the notifier records it.
package enum NotificationAttemptOutcome: Sendable, Hashable {
    /// The provider accepted it (2xx, SMTP 250).
    case delivered(detail: String, httpStatus: Int?)
    /// Worth trying again at `retryAt` (time-out, 429, 5xx).
    case retry(at: Date, detail: String, httpStatus: Int?)
    /// Refused for good (another 4xx): a configuration error.
    case failed(detail: String, httpStatus: Int?)
    /// Not delivered within the channel's `max_age`.
    case expired(detail: String, httpStatus: Int?)

    /// The attempt row's `outcome`.
    package var name: String {
        switch self {
        case .delivered: return "delivered"
        case .retry: return "retryable"
        case .failed: return "failed"
        case .expired: return "expired"
        }
    }

    /// The delivery's status after it.
    package var status: NotificationDeliveryRecord.Status {
        switch self {
        case .delivered: return .delivered
        case .retry: return .retrying
        case .failed: return .failed
        case .expired: return .expired
        }
    }

    package var detail: String {
        switch self {
        case .delivered(let d, _), .retry(_, let d, _), .failed(let d, _), .expired(let d, _): return d
        }
    }

    package var httpStatus: Int? {
        switch self {
        case .delivered(_, let s), .retry(_, _, let s), .failed(_, let s), .expired(_, let s): return s
        }
    }
}

/// The delivery queue at a glance (metrics): deliveries not final, those claimed, and
/// when the oldest unfinished one was created.
package struct NotificationQueueStats: Sendable, Hashable {
    package var pending: Int
    package var sending: Int
    package var oldestCreatedAt: Date?

    package init(pending: Int = 0, sending: Int = 0, oldestCreatedAt: Date? = nil) {
        self.pending = pending
        self.sending = sending
        self.oldestCreatedAt = oldestCreatedAt
    }
}

/// How one attempt ended, for `RuntimeStore.recordNotificationAttempts` (several in one
/// transaction).
package struct NotificationAttemptReport: Sendable, Hashable {
    package var deliveryRowId: Int64
    package var attempt: Int
    package var outcome: NotificationAttemptOutcome

    package init(deliveryRowId: Int64, attempt: Int, outcome: NotificationAttemptOutcome) {
        self.deliveryRowId = deliveryRowId
        self.attempt = attempt
        self.outcome = outcome
    }
}
