import Foundation
import GRDB

/// The web console's read queries (docs/console.md). Each reads a bounded number of rows
/// through an index, so pages stay fast with 10,000 vehicles × 50 rules (BENCHMARKS.md
/// "Console").
extension OutcomeDatabase {
    /// The migration that serves these queries (appended to the migration list).
    static func createConsoleIndexes(_ db: Database) throws {
        // Last fired / last suppressed per vehicle and rule, read for a page of vehicles.
        try db.create(index: "firing_on_vin_rule_event_id", on: "firing",
                      columns: ["vin", "bundle", "rule", "event", "id"])
        // Vehicles whose state changed since an instant (the live stream).
        try db.create(index: "engineState_on_scope_updatedAt", on: "engineState", columns: ["scope", "updatedAt"])
    }

    /// How many vehicles have saved state in `scope`.
    package func consoleVehicleCount(scope: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM engineState WHERE scope = ?", arguments: [scope]) ?? 0
        }
    }

    /// A page of vehicles (ordered by VIN) with their saved state; `vin` keeps only that one.
    package func consoleVehicles(scope: String, vin: String? = nil, offset: Int, limit: Int) throws
        -> [ConsoleRows.VehicleState] {
        try writer.read { db in
            var sql = "SELECT vin, state, updatedAt FROM engineState WHERE scope = ?"
            var arguments: StatementArguments = [scope]
            if let vin {
                sql += " AND vin = ?"
                _ = arguments.append(contentsOf: [vin])
            }
            sql += " ORDER BY vin LIMIT ? OFFSET ?"
            _ = arguments.append(contentsOf: [limit, offset])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                ConsoleRows.VehicleState(vin: row["vin"], state: row["state"], updatedAt: row["updatedAt"])
            }
        }
    }

    /// VINs whose saved state changed after `since` (at most `limit`, newest first) with
    /// the newest change (nil `since`: none, only the newest change).
    package func consoleVehiclesChanged(scope: String, since: Date?, limit: Int) throws
        -> (vins: [String], newest: Date?) {
        try writer.read { db in
            let newest = try Date.fetchOne(db, sql: "SELECT max(updatedAt) FROM engineState WHERE scope = ?",
                                           arguments: [scope])
            guard let since else { return ([], newest) }
            let vins = try String.fetchAll(db, sql: """
                SELECT vin FROM engineState WHERE scope = ? AND updatedAt > ? ORDER BY updatedAt DESC LIMIT ?
                """, arguments: [scope, since, limit])
            return (vins, newest)
        }
    }

    /// The last fired and last suppressed decision per `bundle/rule` for each of `vins`.
    package func consoleRuleHistory(vins: [String]) throws -> [String: [String: ConsoleRows.RuleHistory]] {
        guard !vins.isEmpty else { return [:] }
        return try writer.read { db in
            let marks = Array(repeating: "?", count: vins.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.id, f.at, f.vin, f.bundle, f.rule, f.event, f.reason, f.inboxId FROM firing f
                WHERE f.id IN (SELECT max(id) FROM firing WHERE vin IN (\(marks)) GROUP BY vin, bundle, rule, event)
                """, arguments: StatementArguments(vins))
            var out: [String: [String: ConsoleRows.RuleHistory]] = [:]
            for row in rows {
                let decision = Self.consoleDecision(row)
                let key = "\(decision.bundle)/\(decision.rule)"
                var history = out[decision.vin]?[key] ?? ConsoleRows.RuleHistory()
                if decision.event == "fired" { history.lastFired = decision } else { history.lastSuppressed = decision }
                out[decision.vin, default: [:]][key] = history
            }
            return out
        }
    }

    /// The newest decisions (of one vehicle when given), newest first.
    package func consoleRecentDecisions(vin: String? = nil, limit: Int) throws -> [ConsoleRows.Decision] {
        try writer.read { db in
            let rows: [Row]
            if let vin {
                rows = try Row.fetchAll(db, sql: """
                    SELECT id, at, vin, bundle, rule, event, reason, inboxId FROM firing
                    WHERE vin = ? ORDER BY at DESC, id DESC LIMIT ?
                    """, arguments: [vin, limit])
            } else {
                rows = try Row.fetchAll(db, sql: """
                    SELECT id, at, vin, bundle, rule, event, reason, inboxId FROM firing ORDER BY id DESC LIMIT ?
                    """, arguments: [limit])
            }
            return rows.map(Self.consoleDecision)
        }
    }

    /// The overview's figures at `now`.
    package func consoleOverview(scope: String, now: Date) throws -> ConsoleRows.Overview {
        try writer.read { db in
            let hourAgo = now.addingTimeInterval(-3600)
            let events = try Row.fetchAll(db, sql: """
                SELECT event, count(*) AS n FROM firing WHERE at >= ? GROUP BY event
                """, arguments: [hourAgo])
            var fired = 0, suppressed = 0
            for row in events {
                if (row["event"] as String) == "fired" { fired = row["n"] } else { suppressed = row["n"] }
            }
            return ConsoleRows.Overview(
                vehicles: try Int.fetchOne(db, sql: "SELECT count(*) FROM engineState WHERE scope = ?",
                                           arguments: [scope]) ?? 0,
                firedLastHour: fired, suppressedLastHour: suppressed,
                inboxUnprocessed: try Int.fetchOne(db, sql: "SELECT count(*) FROM inbox WHERE processed = 0") ?? 0,
                outboxQueued: try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'queued'") ?? 0,
                outboxInFlight: try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'inFlight'") ?? 0,
                deadLetters: try Int.fetchOne(db, sql: "SELECT count(*) FROM deadLetter") ?? 0,
                lastInboxId: try Int64.fetchOne(db, sql: "SELECT max(id) FROM inbox") ?? 0)
        }
    }

    /// The commands not finished yet (queued or in flight), oldest first.
    package func consoleOpenCommands(limit: Int) throws -> [ActionRecord] {
        try writer.read { db in
            try ActionRecord.fetchAll(db, sql: """
                SELECT a.* FROM outbox o JOIN action a ON a.id = o.actionId
                WHERE o.status IN ('queued', 'inFlight') ORDER BY o.id LIMIT ?
                """, arguments: [limit])
        }
    }

    /// One decision's trace, or nil when there is no such decision.
    package func consoleTrace(firingId: Int64) throws -> ConsoleRows.Trace? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, at, vin, bundle, rule, event, reason, inboxId, actions FROM firing WHERE id = ?
                """, arguments: [firingId]) else { return nil }
            let decision = Self.consoleDecision(row)
            let cause = try decision.inboxId.flatMap { try InboxRecord.fetchOne(db, key: $0) }
            let actions = try ActionRecord.filter(ActionRecord.Columns.firingId == firingId)
                .order(ActionRecord.Columns.position).fetchAll(db)
            var lives: [ConsoleRows.ActionLife] = []
            for action in actions {
                let attempts = try ActionAttemptRecord.fetchAll(db, sql: """
                    SELECT * FROM actionAttempt WHERE actionId = ? ORDER BY attempt
                    """, arguments: [action.id])
                var ids = Set(attempts.compactMap(\.remoteActionId))
                if let id = action.remoteActionId { ids.insert(id) }
                var events: [ConsoleRows.RemoteEvent] = []
                for id in ids.sorted() {
                    events += try Row.fetchAll(db, sql: """
                        SELECT type, status, failureCause, eventDate, receivedAt FROM remoteEvent
                        WHERE remoteActionId = ? ORDER BY id
                        """, arguments: [id]).map { row in
                        ConsoleRows.RemoteEvent(type: row["type"], status: row["status"], failureCause: row["failureCause"],
                                                eventDate: row["eventDate"], receivedAt: row["receivedAt"])
                    }
                }
                lives.append(ConsoleRows.ActionLife(action: action, attempts: attempts,
                                                    remoteEvents: events.sorted { $0.receivedAt < $1.receivedAt }))
            }
            return ConsoleRows.Trace(decision: decision, cause: cause, renderedActions: row["actions"], actions: lives)
        }
    }

    private static func consoleDecision(_ row: Row) -> ConsoleRows.Decision {
        ConsoleRows.Decision(id: row["id"], at: row["at"], vin: row["vin"], bundle: row["bundle"], rule: row["rule"],
                             event: row["event"], reason: row["reason"], inboxId: row["inboxId"])
    }
}
