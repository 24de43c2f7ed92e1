import Foundation
import OutcomeStore
import PostgresNIO

// The PostgreSQL store's notification deliveries: the same contract as the SQLite
// store's (OutcomeDatabase+Notifications). Claims lock their rows (`FOR UPDATE SKIP
// LOCKED`), so instances claiming at once never take the same delivery.
extension PostgresStore {
    static let deliveryColumns = """
        id, delivery_id, channel, kind, firing_id, action_id, at, vin, vehicle, bundle, rule, title, text, priority, \
        alert, alert_state, dedup_key, status, attempts, not_before, lease_until, created_at, updated_at, finished_at, \
        last_http_status, last_detail
        """

    @discardableResult
    package func enqueueNotifications(_ requests: [NotificationRequest], at now: Date) async throws
        -> [NotificationDeliveryRecord] {
        try await transaction { db in
            var out: [NotificationDeliveryRecord] = []
            for request in requests {
                out += try await Self.insertDeliveries(request, firingId: nil, actionId: nil, at: now, in: db)
            }
            return out
        }
    }

    /// One delivery per channel of `request` (a channel whose `dedupKey` row exists is
    /// skipped), inside the caller's transaction.
    static func insertDeliveries(_ request: NotificationRequest, firingId: Int64?, actionId: Int64?, at now: Date,
                                 in db: PGConnection) async throws -> [NotificationDeliveryRecord] {
        var out: [NotificationDeliveryRecord] = []
        for channel in request.distinctChannels {
            let deliveryId = NotificationDeliveryRecord.newDeliveryId()
            guard let id = try await db.value("""
                INSERT INTO notification_delivery (delivery_id, channel, kind, firing_id, action_id, at, vin, vehicle,
                    bundle, rule, title, text, priority, alert, alert_state, dedup_key, status, attempts, not_before,
                    created_at, updated_at)
                VALUES (\(deliveryId), \(channel), \(request.kind.rawValue), \(firingId), \(actionId), \(request.at),
                        \(request.vin), \(request.vehicle), \(request.bundle), \(request.rule), \(request.title),
                        \(request.text), \(request.priority), \(request.alert), \(request.alertState),
                        \(request.dedupKey), 'queued', 0, \(now), \(now), \(now))
                ON CONFLICT (channel, dedup_key) DO NOTHING
                RETURNING id
                """, as: Int64.self) else { continue }
            out.append(NotificationDeliveryRecord(id: id, deliveryId: deliveryId, channel: channel, request: request,
                                                  firingId: firingId, actionId: actionId, status: .queued, attempts: 0,
                                                  notBefore: now, createdAt: now, updatedAt: now))
        }
        return out
    }

    package func notificationSchedule() async throws -> [String: Date] {
        try await withConnection { db in
            var out: [String: Date] = [:]
            for row in try await db.rows("""
                SELECT channel, min(CASE WHEN status = 'sending' THEN lease_until ELSE not_before END)
                FROM notification_delivery WHERE status IN ('queued', 'retrying', 'sending') GROUP BY channel
                """) {
                let (channel, date) = try row.decode((String, Date?).self)
                if let date { out[channel] = date }
            }
            return out
        }
    }

    package func claimNotificationDeliveries(channel: String, at now: Date, limit: Int,
                                            leaseUntil: Date) async throws -> [NotificationDeliveryRecord] {
        try await transaction { db in
            let claimed = try await db.rows("""
                UPDATE notification_delivery SET status = 'sending', attempts = attempts + 1,
                    lease_until = \(leaseUntil), updated_at = \(now)
                WHERE id IN (
                    SELECT id FROM notification_delivery
                    WHERE channel = \(channel) AND ((status IN ('queued', 'retrying') AND not_before <= \(now))
                                                    OR (status = 'sending' AND lease_until <= \(now)))
                    ORDER BY not_before, id LIMIT \(max(0, limit))
                    FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.deliveryColumns)
                """).map(Self.deliveryRecord).sorted { ($0.notBefore, $0.id) < ($1.notBefore, $1.id) }
            for record in claimed {
                try await db.execute("""
                    INSERT INTO notification_attempt (delivery_row_id, attempt, started_at)
                    VALUES (\(record.id), \(record.attempts), \(now))
                    """)
            }
            return claimed
        }
    }

    @discardableResult
    package func recordNotificationAttempt(deliveryRowId id: Int64, attempt: Int, outcome: NotificationAttemptOutcome,
                                          at now: Date) async throws -> Bool {
        try await transaction { db in try await Self.record(id, attempt, outcome, at: now, in: db) }
    }

    @discardableResult
    package func recordNotificationAttempts(_ reports: [NotificationAttemptReport], at now: Date) async throws -> [Bool] {
        guard !reports.isEmpty else { return [] }
        return try await transaction { db in
            var out: [Bool] = []
            for report in reports {
                out.append(try await Self.record(report.deliveryRowId, report.attempt, report.outcome, at: now, in: db))
            }
            return out
        }
    }

    private static func record(_ id: Int64, _ attempt: Int, _ outcome: NotificationAttemptOutcome, at now: Date,
                               in db: PGConnection) async throws -> Bool {
        let status = outcome.status
        var notBefore: Date?
        if case .retry(let retryAt, _, _) = outcome { notBefore = retryAt }
        let finishedAt: Date? = status.isFinal ? now : nil
        let updated = try await db.rows("""
            UPDATE notification_delivery SET status = \(status.rawValue),
                not_before = COALESCE(\(notBefore), not_before), lease_until = NULL, updated_at = \(now),
                finished_at = \(finishedAt), last_http_status = \(outcome.httpStatus), last_detail = \(outcome.detail)
            WHERE id = \(id) AND status = 'sending' AND attempts = \(attempt)
            RETURNING id
            """)
        guard !updated.isEmpty else { return false }
        try await db.execute("""
            UPDATE notification_attempt SET finished_at = \(now), outcome = \(outcome.name),
                http_status = \(outcome.httpStatus), detail = \(outcome.detail)
            WHERE delivery_row_id = \(id) AND attempt = \(attempt)
            """)
        return true
    }

    package func notificationDeliveries(firingIds: [Int64]) async throws -> [NotificationDeliveryRecord] {
        guard !firingIds.isEmpty else { return [] }
        return try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.deliveryColumns) FROM notification_delivery
                WHERE firing_id = ANY(\(firingIds)) ORDER BY id
                """).map(Self.deliveryRecord)
        }
    }

    package func notificationDeliveries(status: NotificationDeliveryRecord.Status?,
                                       limit: Int) async throws -> [NotificationDeliveryRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.deliveryColumns) FROM notification_delivery
                WHERE \(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)
                ORDER BY id DESC LIMIT \(max(0, limit))
                """).map(Self.deliveryRecord)
        }
    }

    package func notificationAttempts(deliveryRowId id: Int64) async throws -> [NotificationAttemptRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT delivery_row_id, attempt, started_at, finished_at, outcome, http_status, detail
                FROM notification_attempt WHERE delivery_row_id = \(id) ORDER BY attempt
                """).map { row in
                let (rowId, attempt, started, finished, outcome, http, detail) =
                    try row.decode((Int64, Int, Date, Date?, String?, Int?, String?).self)
                return NotificationAttemptRecord(deliveryRowId: rowId, attempt: attempt, startedAt: started,
                                                 finishedAt: finished, outcome: outcome, httpStatus: http, detail: detail)
            }
        }
    }

    package func notificationQueueStats() async throws -> NotificationQueueStats {
        try await withConnection { db in
            guard let row = try await db.rows("""
                SELECT count(*), count(*) FILTER (WHERE status = 'sending'), min(created_at) FROM notification_delivery
                WHERE status IN ('queued', 'retrying', 'sending')
                """).first else { return NotificationQueueStats() }
            let (pending, sending, oldest) = try row.decode((Int, Int, Date?).self)
            return NotificationQueueStats(pending: pending, sending: sending, oldestCreatedAt: oldest)
        }
    }

    static func deliveryRecord(_ row: PostgresRow) throws -> NotificationDeliveryRecord {
        let r = row.makeRandomAccess()
        func cell<T: PostgresDecodable>(_ name: String, _ type: T.Type = T.self) throws -> T {
            try r[name].decode(T.self)
        }
        let request = NotificationRequest(kind: NotificationRequest.Kind(rawValue: try cell("kind")) ?? .notification,
                                          channels: [try cell("channel")], text: try cell("text"),
                                          title: try cell("title"), priority: try cell("priority"), at: try cell("at"),
                                          vin: try cell("vin"), vehicle: try cell("vehicle"), bundle: try cell("bundle"),
                                          rule: try cell("rule"), alert: try cell("alert"),
                                          alertState: try cell("alert_state"), dedupKey: try cell("dedup_key"))
        return NotificationDeliveryRecord(
            id: try cell("id"), deliveryId: try cell("delivery_id"), channel: try cell("channel"), request: request,
            firingId: try cell("firing_id"), actionId: try cell("action_id"),
            status: NotificationDeliveryRecord.Status(rawValue: try cell("status", String.self)) ?? .queued,
            attempts: try cell("attempts"), notBefore: try cell("not_before"), leaseUntil: try cell("lease_until"),
            createdAt: try cell("created_at"), updatedAt: try cell("updated_at"), finishedAt: try cell("finished_at"),
            lastHTTPStatus: try cell("last_http_status"), lastDetail: try cell("last_detail"))
    }

    /// The notification tables (migration `v3-notification-delivery`).
    static let notificationSchema: [String] = [
        """
        CREATE TABLE notification_delivery (
            id bigserial PRIMARY KEY, delivery_id text NOT NULL UNIQUE, channel text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('notification', 'alert')),
            firing_id bigint REFERENCES firing (id) ON DELETE CASCADE,
            action_id bigint REFERENCES action (id) ON DELETE CASCADE,
            at timestamptz NOT NULL, vin text, vehicle text, bundle text, rule text, title text, text text NOT NULL,
            priority text NOT NULL, alert text, alert_state text, dedup_key text,
            status text NOT NULL CHECK (status IN ('queued', 'sending', 'retrying', 'delivered', 'failed', 'expired')),
            attempts int NOT NULL DEFAULT 0, not_before timestamptz NOT NULL, lease_until timestamptz,
            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, finished_at timestamptz,
            last_http_status int, last_detail text, UNIQUE (channel, dedup_key))
        """,
        """
        CREATE INDEX notification_delivery_unfinished ON notification_delivery (channel, status, not_before)
        WHERE status IN ('queued', 'retrying', 'sending')
        """,
        "CREATE INDEX notification_delivery_on_firing_id ON notification_delivery (firing_id)",
        "CREATE INDEX notification_delivery_on_action_id ON notification_delivery (action_id)",
        """
        CREATE TABLE notification_attempt (
            delivery_row_id bigint NOT NULL REFERENCES notification_delivery (id) ON DELETE CASCADE,
            attempt int NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz, outcome text,
            http_status int, detail text, PRIMARY KEY (delivery_row_id, attempt))
        """,
    ]
}
