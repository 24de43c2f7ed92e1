import Foundation
import OutcomeStore
import PostgresNIO

// Holds (pauses, the configuration's pause, rules stopped in a loop) and the control journal.
extension PostgresStore {
    static let holdColumns = "id, kind, vin, bundle, rule, reason, created_at, resumed_at"

    static func hold(_ row: PostgresRow) throws -> ControlHoldRecord {
        let (id, kind, vin, bundle, rule, reason, created, resumed) =
            try row.decode((Int64, String, String?, String?, String?, String?, Date, Date?).self)
        guard let known = ControlHoldRecord.Kind(rawValue: kind) else {
            throw PostgresStoreError.corrupt("control_hold \(id) has an unknown kind '\(kind)'")
        }
        return ControlHoldRecord(id: id, kind: known, vin: vin, bundle: bundle, rule: rule, reason: reason,
                                 createdAt: created, resumedAt: resumed)
    }

    static let eventColumns = "id, at, kind, vin, bundle, rule, hold_id, detail"

    static func event(_ row: PostgresRow) throws -> ControlEventRecord {
        let (id, at, kind, vin, bundle, rule, holdId, detail) =
            try row.decode((Int64, Date, String, String?, String?, String?, Int64?, String?).self)
        guard let known = ControlEventRecord.Kind(rawValue: kind) else {
            throw PostgresStoreError.corrupt("control_event \(id) has an unknown kind '\(kind)'")
        }
        return ControlEventRecord(id: id, at: at, kind: known, vin: vin, bundle: bundle, rule: rule, holdId: holdId,
                                  detail: detail)
    }

    /// The partial unique index `control_hold_one_open` keeps one open hold per kind and
    /// scope: a concurrent pause of the same scope waits for this one and inserts nothing.
    @discardableResult
    package func addHold(_ hold: ControlHoldRecord, detail: String?) async throws -> (hold: ControlHoldRecord, isNew: Bool) {
        try await transaction { db in
            if let row = try await db.rows("""
                INSERT INTO control_hold (kind, vin, bundle, rule, reason, created_at)
                VALUES (\(hold.kind.rawValue), \(hold.vin), \(hold.bundle), \(hold.rule), \(hold.reason), \(hold.createdAt))
                ON CONFLICT DO NOTHING RETURNING \(unescaped: Self.holdColumns)
                """).first {
                let added = try Self.hold(row)
                let kind: ControlEventRecord.Kind = hold.kind == .loop ? .loopStopped : .paused
                try await db.execute("""
                    INSERT INTO control_event (at, kind, vin, bundle, rule, hold_id, detail)
                    VALUES (\(hold.createdAt), \(kind.rawValue), \(hold.vin), \(hold.bundle), \(hold.rule), \(added.id),
                            \(detail ?? hold.reason))
                    """)
                return (added, true)
            }
            guard let row = try await db.rows("""
                SELECT \(unescaped: Self.holdColumns) FROM control_hold
                WHERE resumed_at IS NULL AND kind = \(hold.kind.rawValue) AND COALESCE(vin, '') = \(hold.vin ?? "")
                  AND COALESCE(bundle, '') = \(hold.bundle ?? "") AND COALESCE(rule, '') = \(hold.rule ?? "")
                """).first else { throw PostgresStoreError.corrupt("a hold conflicted but no open hold was found") }
            return (try Self.hold(row), false)
        }
    }

    package func resumeHolds(matching selector: ControlSelector, kinds: Set<ControlHoldRecord.Kind>, at now: Date,
                            detail: String?) async throws -> [ControlHoldRecord] {
        try await transaction { db in
            let open = try await db.rows("""
                SELECT \(unescaped: Self.holdColumns) FROM control_hold WHERE resumed_at IS NULL ORDER BY id FOR UPDATE
                """).map(Self.hold)
            var lifted: [ControlHoldRecord] = []
            for var hold in open where kinds.contains(hold.kind) && selector.matches(hold) {
                hold.resumedAt = now
                try await db.execute("UPDATE control_hold SET resumed_at = \(now) WHERE id = \(hold.id)")
                try await db.execute("""
                    INSERT INTO control_event (at, kind, vin, bundle, rule, hold_id, detail)
                    VALUES (\(now), 'resumed', \(hold.vin), \(hold.bundle), \(hold.rule), \(hold.id), \(detail))
                    """)
                lifted.append(hold)
            }
            return lifted
        }
    }

    package func activeHolds() async throws -> [ControlHoldRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.holdColumns) FROM control_hold WHERE resumed_at IS NULL ORDER BY id
                """).map(Self.hold)
        }
    }

    package func holds(activeOrResumedSince since: Date) async throws -> [ControlHoldRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.holdColumns) FROM control_hold
                WHERE resumed_at IS NULL OR resumed_at >= \(since) ORDER BY id
                """).map(Self.hold)
        }
    }

    package func controlVersion() async throws -> Int64 {
        try await withConnection { db in
            try await db.value("SELECT version FROM control_version WHERE id = 1", as: Int64.self) ?? 0
        }
    }

    @discardableResult
    package func recordControlEvent(_ event: ControlEventRecord) async throws -> ControlEventRecord {
        try await withConnection { db in
            var row = event
            row.id = try await db.value("""
                INSERT INTO control_event (at, kind, vin, bundle, rule, hold_id, detail)
                VALUES (\(event.at), \(event.kind.rawValue), \(event.vin), \(event.bundle), \(event.rule), \(event.holdId),
                        \(event.detail))
                RETURNING id
                """, as: Int64.self)
            return row
        }
    }

    package func controlEvents(limit: Int?) async throws -> [ControlEventRecord] {
        try await withConnection { db in
            guard let limit else {
                return try await db.rows("SELECT \(unescaped: Self.eventColumns) FROM control_event ORDER BY id")
                    .map(Self.event)
            }
            return try await db.rows("""
                SELECT * FROM (SELECT \(unescaped: Self.eventColumns) FROM control_event ORDER BY id DESC
                               LIMIT \(Int64(max(0, limit)))) last ORDER BY id
                """).map(Self.event)
        }
    }

    package func controlEvents(kind: ControlEventRecord.Kind, vin: String?, since: Date?) async throws -> [ControlEventRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.eventColumns) FROM control_event
                WHERE kind = \(kind.rawValue) AND (\(vin)::text IS NULL OR vin = \(vin))
                  AND (\(since)::timestamptz IS NULL OR at >= \(since))
                ORDER BY id
                """).map(Self.event)
        }
    }

    package func openFlapHolds() async throws -> [ControlEventRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.eventColumns) FROM control_event
                WHERE id IN (SELECT max(id) FROM control_event WHERE kind IN ('flapStarted', 'flapEnded')
                             GROUP BY vin, bundle, rule)
                  AND kind = 'flapStarted'
                ORDER BY id
                """).map(Self.event)
        }
    }

    package func syncConfigHold(paused: Bool, at now: Date) async throws {
        if paused {
            try await addHold(ControlHoldRecord(kind: .config, reason: "safety.paused: true in the configuration",
                                                createdAt: now), detail: nil)
        } else {
            _ = try await resumeHolds(matching: ControlSelector(), kinds: [.config], at: now,
                                      detail: "safety.paused no longer set in the configuration")
        }
    }
}
