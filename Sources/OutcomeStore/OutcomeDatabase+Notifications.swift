import Foundation
import GRDB

// The SQLite store's notification deliveries (docs/notifications.md "What a delivery
// guarantees"): rows made in the decision's transaction (`insertNotifications`) or by
// `enqueueNotifications` (alerts), claimed by the notifier with a lease, one attempt row
// per try.
extension OutcomeDatabase {
    static let deliveryColumns = """
        id, deliveryId, channel, kind, firingId, actionId, at, vin, vehicle, bundle, rule, title, text, priority, \
        alert, alertState, dedupKey, status, attempts, notBefore, leaseUntil, createdAt, updatedAt, finishedAt, \
        lastHttpStatus, lastDetail
        """

    @discardableResult
    package func enqueueNotifications(_ requests: [NotificationRequest], at now: Date) throws -> [NotificationDeliveryRecord] {
        try writer.write { db in
            var out: [NotificationDeliveryRecord] = []
            for request in requests {
                out += try Self.insertDeliveries(request, firingId: nil, actionId: nil, at: now, in: db)
            }
            return out
        }
    }

    /// One delivery per channel of `request` (a channel whose `dedupKey` row exists is
    /// skipped). Runs inside the caller's transaction.
    static func insertDeliveries(_ request: NotificationRequest, firingId: Int64?, actionId: Int64?, at now: Date,
                                 in db: Database) throws -> [NotificationDeliveryRecord] {
        var out: [NotificationDeliveryRecord] = []
        for channel in request.distinctChannels {
            let deliveryId = NotificationDeliveryRecord.newDeliveryId()
            try db.execute(sql: """
                INSERT OR IGNORE INTO notificationDelivery (deliveryId, channel, kind, firingId, actionId, at, vin, vehicle,
                    bundle, rule, title, text, priority, alert, alertState, dedupKey, status, attempts, notBefore,
                    createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)
                """, arguments: [deliveryId, channel, request.kind.rawValue, firingId, actionId, request.at, request.vin,
                                 request.vehicle, request.bundle, request.rule, request.title, request.text,
                                 request.priority, request.alert, request.alertState, request.dedupKey, now, now, now])
            guard db.changesCount == 1 else { continue }
            out.append(NotificationDeliveryRecord(id: db.lastInsertedRowID, deliveryId: deliveryId, channel: channel,
                                                  request: request, firingId: firingId, actionId: actionId,
                                                  status: .queued, attempts: 0, notBefore: now, createdAt: now,
                                                  updatedAt: now))
        }
        return out
    }

    package func notificationSchedule() throws -> [String: Date] {
        try writer.read { db in
            var out: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT channel, MIN(CASE WHEN status = 'sending' THEN leaseUntil ELSE notBefore END)
                FROM notificationDelivery WHERE status IN ('queued', 'retrying', 'sending') GROUP BY channel
                """) {
                if let date: Date = row[1] { out[row[0]] = date }
            }
            return out
        }
    }

    package func claimNotificationDeliveries(channel: String, at now: Date, limit: Int,
                                            leaseUntil: Date) throws -> [NotificationDeliveryRecord] {
        try writer.write { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT \(Self.deliveryColumns) FROM notificationDelivery
                WHERE channel = ? AND ((status IN ('queued', 'retrying') AND notBefore <= ?)
                                       OR (status = 'sending' AND leaseUntil <= ?))
                ORDER BY notBefore, id LIMIT ?
                """, arguments: [channel, now, now, max(0, limit)]).map(Self.deliveryRecord)
            return try due.map { found in
                var record = found
                record.status = .sending
                record.attempts += 1
                record.leaseUntil = leaseUntil
                record.updatedAt = now
                try db.execute(sql: """
                    UPDATE notificationDelivery SET status = 'sending', attempts = ?, leaseUntil = ?, updatedAt = ?
                    WHERE id = ?
                    """, arguments: [record.attempts, leaseUntil, now, record.id])
                try db.execute(sql: """
                    INSERT INTO notificationAttempt (deliveryRowId, attempt, startedAt) VALUES (?, ?, ?)
                    """, arguments: [record.id, record.attempts, now])
                return record
            }
        }
    }

    @discardableResult
    package func recordNotificationAttempt(deliveryRowId id: Int64, attempt: Int, outcome: NotificationAttemptOutcome,
                                          at now: Date) throws -> Bool {
        try writer.write { db in try Self.record(id, attempt, outcome, at: now, in: db) }
    }

    @discardableResult
    package func recordNotificationAttempts(_ reports: [NotificationAttemptReport], at now: Date) throws -> [Bool] {
        guard !reports.isEmpty else { return [] }
        return try writer.write { db in
            try reports.map { try Self.record($0.deliveryRowId, $0.attempt, $0.outcome, at: now, in: db) }
        }
    }

    private static func record(_ id: Int64, _ attempt: Int, _ outcome: NotificationAttemptOutcome, at now: Date,
                               in db: Database) throws -> Bool {
        let status = outcome.status
        var notBefore: Date?
        if case .retry(let retryAt, _, _) = outcome { notBefore = retryAt }
        try db.execute(sql: """
            UPDATE notificationDelivery SET status = ?, notBefore = COALESCE(?, notBefore), leaseUntil = NULL,
                updatedAt = ?, finishedAt = ?, lastHttpStatus = ?, lastDetail = ?
            WHERE id = ? AND status = 'sending' AND attempts = ?
            """, arguments: [status.rawValue, notBefore, now, status.isFinal ? now : nil, outcome.httpStatus,
                             outcome.detail, id, attempt])
        guard db.changesCount == 1 else { return false }
        try db.execute(sql: """
            UPDATE notificationAttempt SET finishedAt = ?, outcome = ?, httpStatus = ?, detail = ?
            WHERE deliveryRowId = ? AND attempt = ?
            """, arguments: [now, outcome.name, outcome.httpStatus, outcome.detail, id, attempt])
        return true
    }

    package func notificationDeliveries(firingIds: [Int64]) throws -> [NotificationDeliveryRecord] {
        guard !firingIds.isEmpty else { return [] }
        return try writer.read { db in
            var out: [NotificationDeliveryRecord] = []
            // Bounded IN lists: SQLite limits the number of bound values per statement.
            for chunk in stride(from: 0, to: firingIds.count, by: 500).map({ firingIds[$0..<min($0 + 500, firingIds.count)] }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                out += try Row.fetchAll(db, sql: """
                    SELECT \(Self.deliveryColumns) FROM notificationDelivery WHERE firingId IN (\(marks)) ORDER BY id
                    """, arguments: StatementArguments(Array(chunk))).map(Self.deliveryRecord)
            }
            return out.sorted { $0.id < $1.id }
        }
    }

    package func notificationDeliveries(status: NotificationDeliveryRecord.Status?,
                                       limit: Int) throws -> [NotificationDeliveryRecord] {
        try writer.read { db in
            let filter = status == nil ? "" : "WHERE status = ?"
            let arguments: StatementArguments = status.map { [$0.rawValue, max(0, limit)] } ?? [max(0, limit)]
            return try Row.fetchAll(db, sql: """
                SELECT \(Self.deliveryColumns) FROM notificationDelivery \(filter) ORDER BY id DESC LIMIT ?
                """, arguments: arguments).map(Self.deliveryRecord)
        }
    }

    package func notificationAttempts(deliveryRowId id: Int64) throws -> [NotificationAttemptRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT deliveryRowId, attempt, startedAt, finishedAt, outcome, httpStatus, detail
                FROM notificationAttempt WHERE deliveryRowId = ? ORDER BY attempt
                """, arguments: [id]).map { row in
                NotificationAttemptRecord(deliveryRowId: row[0], attempt: row[1], startedAt: row[2], finishedAt: row[3],
                                          outcome: row[4], httpStatus: row[5], detail: row[6])
            }
        }
    }

    package func notificationQueueStats() throws -> NotificationQueueStats {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), COALESCE(SUM(status = 'sending'), 0), MIN(createdAt) FROM notificationDelivery
                WHERE status IN ('queued', 'retrying', 'sending')
                """) else { return NotificationQueueStats() }
            return NotificationQueueStats(pending: row[0], sending: row[1], oldestCreatedAt: row[2])
        }
    }

    static func deliveryRecord(_ row: Row) -> NotificationDeliveryRecord {
        let request = NotificationRequest(kind: NotificationRequest.Kind(rawValue: row["kind"]) ?? .notification,
                                          channels: [row["channel"]], text: row["text"], title: row["title"],
                                          priority: row["priority"], at: row["at"], vin: row["vin"],
                                          vehicle: row["vehicle"], bundle: row["bundle"], rule: row["rule"],
                                          alert: row["alert"], alertState: row["alertState"], dedupKey: row["dedupKey"])
        return NotificationDeliveryRecord(id: row["id"], deliveryId: row["deliveryId"], channel: row["channel"],
                                          request: request, firingId: row["firingId"], actionId: row["actionId"],
                                          status: NotificationDeliveryRecord.Status(rawValue: row["status"]) ?? .queued,
                                          attempts: row["attempts"], notBefore: row["notBefore"],
                                          leaseUntil: row["leaseUntil"], createdAt: row["createdAt"],
                                          updatedAt: row["updatedAt"], finishedAt: row["finishedAt"],
                                          lastHTTPStatus: row["lastHttpStatus"], lastDetail: row["lastDetail"])
    }

    /// `notificationDelivery`: one row per (notification, channel); `notificationAttempt`:
    /// one row per try at it. A rule's deliveries go with its firing (cascade).
    static func createNotificationTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE notificationDelivery (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                deliveryId TEXT NOT NULL UNIQUE,
                channel TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('notification', 'alert')),
                firingId INTEGER REFERENCES firing(id) ON DELETE CASCADE,
                actionId INTEGER REFERENCES action(id) ON DELETE CASCADE,
                at DATETIME NOT NULL,
                vin TEXT, vehicle TEXT, bundle TEXT, rule TEXT, title TEXT,
                text TEXT NOT NULL,
                priority TEXT NOT NULL,
                alert TEXT, alertState TEXT, dedupKey TEXT,
                status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'retrying', 'delivered', 'failed', 'expired')),
                attempts INTEGER NOT NULL DEFAULT 0,
                notBefore DATETIME NOT NULL,
                leaseUntil DATETIME,
                createdAt DATETIME NOT NULL,
                updatedAt DATETIME NOT NULL,
                finishedAt DATETIME,
                lastHttpStatus INTEGER,
                lastDetail TEXT)
            """)
        try db.execute(sql: "CREATE UNIQUE INDEX notificationDelivery_dedup ON notificationDelivery(channel, dedupKey)")
        try db.execute(sql: """
            CREATE INDEX notificationDelivery_unfinished ON notificationDelivery(channel, status, notBefore)
            WHERE status IN ('queued', 'retrying', 'sending')
            """)
        try db.execute(sql: "CREATE INDEX notificationDelivery_on_firingId ON notificationDelivery(firingId)")
        try db.execute(sql: "CREATE INDEX notificationDelivery_on_actionId ON notificationDelivery(actionId)")
        try db.execute(sql: """
            CREATE TABLE notificationAttempt (
                deliveryRowId INTEGER NOT NULL REFERENCES notificationDelivery(id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                startedAt DATETIME NOT NULL,
                finishedAt DATETIME,
                outcome TEXT,
                httpStatus INTEGER,
                detail TEXT,
                PRIMARY KEY (deliveryRowId, attempt))
            """)
    }
}
