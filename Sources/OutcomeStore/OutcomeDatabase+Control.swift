import Foundation
import GRDB

// The kill switch's and the guardrails' side of the store (docs/safety.md): holds
// (pauses, the configuration's pause, rules stopped in a loop) and the control journal.
extension OutcomeDatabase {
    /// Records a hold and its journal entry in one transaction. An active hold of the same
    /// kind and scope is returned as it is instead (pausing twice is pausing once).
    /// Returns the hold and whether it is new.
    @discardableResult
    package func addHold(_ hold: ControlHoldRecord, detail: String? = nil) throws -> (hold: ControlHoldRecord, isNew: Bool) {
        try writer.write { db in
            let existing = try ControlHoldRecord
                .filter(ControlHoldRecord.Columns.resumedAt == nil && ControlHoldRecord.Columns.kind == hold.kind.rawValue)
                .filter(ControlHoldRecord.Columns.vin == hold.vin && ControlHoldRecord.Columns.bundle == hold.bundle
                        && ControlHoldRecord.Columns.rule == hold.rule)
                .fetchOne(db)
            if let existing { return (existing, false) }
            var row = hold
            row.resumedAt = nil
            try row.insert(db)
            var event = ControlEventRecord(at: hold.createdAt, kind: hold.kind == .loop ? .loopStopped : .paused,
                                           vin: hold.vin, bundle: hold.bundle, rule: hold.rule, holdId: row.id,
                                           detail: detail ?? hold.reason)
            try event.insert(db)
            return (row, true)
        }
    }

    /// Lifts every active hold the selector matches (of the given kinds), journalling each.
    /// Returns the holds lifted, in creation order.
    package func resumeHolds(matching selector: ControlSelector,
                            kinds: Set<ControlHoldRecord.Kind> = Set(ControlHoldRecord.Kind.allCases),
                            at now: Date, detail: String? = nil) throws -> [ControlHoldRecord] {
        try writer.write { db in
            let active = try ControlHoldRecord.filter(ControlHoldRecord.Columns.resumedAt == nil)
                .order(ControlHoldRecord.Columns.id).fetchAll(db)
            var lifted: [ControlHoldRecord] = []
            for var hold in active where kinds.contains(hold.kind) && selector.matches(hold) {
                hold.resumedAt = now
                try hold.update(db)
                var event = ControlEventRecord(at: now, kind: .resumed, vin: hold.vin, bundle: hold.bundle,
                                               rule: hold.rule, holdId: hold.id, detail: detail)
                try event.insert(db)
                lifted.append(hold)
            }
            return lifted
        }
    }

    /// The holds in force, in creation order.
    package func activeHolds() throws -> [ControlHoldRecord] {
        try writer.read { db in
            try ControlHoldRecord.filter(ControlHoldRecord.Columns.resumedAt == nil)
                .order(ControlHoldRecord.Columns.id).fetchAll(db)
        }
    }

    /// The holds in force and those lifted at or after `since` (the guard needs recently
    /// lifted ones to drop commands that waited too long behind them).
    package func holds(activeOrResumedSince since: Date) throws -> [ControlHoldRecord] {
        try writer.read { db in
            try ControlHoldRecord
                .filter(ControlHoldRecord.Columns.resumedAt == nil || ControlHoldRecord.Columns.resumedAt >= since)
                .order(ControlHoldRecord.Columns.id).fetchAll(db)
        }
    }

    /// A counter that changes whenever a hold is added, lifted or removed (by any process).
    package func controlVersion() throws -> Int64 {
        try writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT version FROM controlVersion WHERE id = 1") ?? 0
        }
    }

    @discardableResult
    package func recordControlEvent(_ event: ControlEventRecord) throws -> ControlEventRecord {
        try writer.write { db in
            var row = event
            try row.insert(db)
            return row
        }
    }

    /// The journal, oldest first; the last `limit` entries when given.
    package func controlEvents(limit: Int? = nil) throws -> [ControlEventRecord] {
        try writer.read { db in
            guard let limit else {
                return try ControlEventRecord.order(ControlEventRecord.Columns.id).fetchAll(db)
            }
            let last = try ControlEventRecord.order(ControlEventRecord.Columns.id.desc).limit(limit).fetchAll(db)
            return last.reversed()
        }
    }

    /// The journal entries of one kind (for one vehicle when given) at or after `since`.
    package func controlEvents(kind: ControlEventRecord.Kind, vin: String? = nil,
                              since: Date? = nil) throws -> [ControlEventRecord] {
        try writer.read { db in
            var request = ControlEventRecord.filter(ControlEventRecord.Columns.kind == kind.rawValue)
            if let vin { request = request.filter(ControlEventRecord.Columns.vin == vin) }
            if let since { request = request.filter(ControlEventRecord.Columns.at >= since) }
            return try request.order(ControlEventRecord.Columns.id).fetchAll(db)
        }
    }

    /// Flapping holds still open: per (vin, bundle, rule), the latest flap entry when it is
    /// a `flapStarted`.
    package func openFlapHolds() throws -> [ControlEventRecord] {
        try writer.read { db in
            try ControlEventRecord.fetchAll(db, sql: """
                SELECT e.* FROM controlEvent e
                WHERE e.id IN (SELECT MAX(id) FROM controlEvent WHERE kind IN ('flapStarted', 'flapEnded')
                               GROUP BY vin, bundle, rule)
                  AND e.kind = 'flapStarted'
                ORDER BY e.id
                """)
        }
    }

    /// Makes the configuration's pause (`safety.paused`) a hold when set, and lifts it when
    /// not, so listings and the stale rule of a resume see it like any pause.
    package func syncConfigHold(paused: Bool, at now: Date) throws {
        if paused {
            try addHold(ControlHoldRecord(kind: .config, reason: "safety.paused: true in the configuration", createdAt: now))
        } else {
            _ = try resumeHolds(matching: ControlSelector(), kinds: [.config], at: now,
                                detail: "safety.paused no longer set in the configuration")
        }
    }
}
