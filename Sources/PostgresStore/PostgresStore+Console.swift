import Foundation
import OutcomeStore
import PostgresNIO

/// The web console's read queries (docs/console.md) on PostgreSQL: the same answers as
/// `OutcomeDatabase+Console.swift`, row for row (`RuntimeStoreConformance+Console` —
/// here `PostgresConsoleTests` — compares them on the same data).
extension PostgresStore {
    /// How many vehicles have saved state in `scope`.
    package func consoleVehicleCount(scope: String) async throws -> Int {
        try await withConnection { db in
            try await db.value("SELECT count(*) FROM engine_state WHERE scope = \(scope)", as: Int.self) ?? 0
        }
    }

    /// A page of vehicles (ordered by VIN) with their saved state; `vin` keeps only that one.
    package func consoleVehicles(scope: String, vin: String? = nil, offset: Int, limit: Int) async throws
        -> [ConsoleRows.VehicleState] {
        try await withConnection { db in
            let rows: [PostgresRow]
            if let vin {
                rows = try await db.rows("""
                    SELECT vin, state, updated_at FROM engine_state WHERE scope = \(scope) AND vin = \(vin)
                    ORDER BY vin LIMIT \(Int64(limit)) OFFSET \(Int64(offset))
                    """)
            } else {
                rows = try await db.rows("""
                    SELECT vin, state, updated_at FROM engine_state WHERE scope = \(scope)
                    ORDER BY vin LIMIT \(Int64(limit)) OFFSET \(Int64(offset))
                    """)
            }
            return try rows.map { row in
                let (vin, state, updatedAt) = try row.decode((String, Data, Date).self)
                return ConsoleRows.VehicleState.make(vin: vin, state: state, updatedAt: updatedAt)
            }
        }
    }

    /// VINs whose saved state changed after `since` (at most `limit`, newest first) with
    /// the newest change (nil `since`: none, only the newest change).
    package func consoleVehiclesChanged(scope: String, since: Date?, limit: Int) async throws
        -> (vins: [String], newest: Date?) {
        try await withConnection { db in
            let newest = try await db.rows("SELECT max(updated_at) FROM engine_state WHERE scope = \(scope)")
                .first?.decode(Date?.self) ?? nil
            guard let since else { return ([], newest) }
            let vins = try await db.rows("""
                SELECT vin FROM engine_state WHERE scope = \(scope) AND updated_at > \(since)
                ORDER BY updated_at DESC LIMIT \(Int64(limit))
                """).map { try $0.decode(String.self) }
            return (vins, newest)
        }
    }

    /// The last fired and last suppressed decision per `bundle/rule` for each of `vins`.
    package func consoleRuleHistory(vins: [String]) async throws -> [String: [String: ConsoleRows.RuleHistory]] {
        guard !vins.isEmpty else { return [:] }
        return try await withConnection { db in
            let rows = try await db.rows("""
                SELECT id, at, vin, bundle, rule, event, reason, inbox_id FROM firing
                WHERE id IN (SELECT max(id) FROM firing WHERE vin = ANY(\(vins)) GROUP BY vin, bundle, rule, event)
                """)
            var out: [String: [String: ConsoleRows.RuleHistory]] = [:]
            for row in rows {
                let decision = try Self.consoleDecision(row)
                let key = "\(decision.bundle)/\(decision.rule)"
                var history = out[decision.vin]?[key] ?? ConsoleRows.RuleHistory.make()
                if decision.event == "fired" { history.lastFired = decision } else { history.lastSuppressed = decision }
                out[decision.vin, default: [:]][key] = history
            }
            return out
        }
    }

    /// The newest decisions (of one vehicle when given), newest first.
    package func consoleRecentDecisions(vin: String? = nil, limit: Int) async throws -> [ConsoleRows.Decision] {
        try await withConnection { db in
            let rows: [PostgresRow]
            if let vin {
                rows = try await db.rows("""
                    SELECT id, at, vin, bundle, rule, event, reason, inbox_id FROM firing
                    WHERE vin = \(vin) ORDER BY at DESC, id DESC LIMIT \(Int64(limit))
                    """)
            } else {
                rows = try await db.rows("""
                    SELECT id, at, vin, bundle, rule, event, reason, inbox_id FROM firing ORDER BY id DESC LIMIT \(Int64(limit))
                    """)
            }
            return try rows.map(Self.consoleDecision)
        }
    }

    /// The overview's figures at `now`.
    package func consoleOverview(scope: String, now: Date) async throws -> ConsoleRows.Overview {
        try await withConnection { db in
            let hourAgo = now.addingTimeInterval(-3600)
            guard let row = try await db.rows("""
                SELECT (SELECT count(*) FROM engine_state WHERE scope = \(scope)),
                       (SELECT count(*) FROM firing WHERE at >= \(hourAgo) AND event = 'fired'),
                       (SELECT count(*) FROM firing WHERE at >= \(hourAgo) AND event <> 'fired'),
                       (SELECT count(*) FROM inbox WHERE NOT processed),
                       (SELECT count(*) FROM outbox WHERE status = 'queued'),
                       (SELECT count(*) FROM outbox WHERE status = 'inFlight'),
                       (SELECT count(*) FROM dead_letter),
                       (SELECT coalesce(max(id), 0) FROM inbox)
                """).first else { throw PostgresStoreError.corrupt("no overview row") }
            let (vehicles, fired, suppressed, inbox, queued, flying, dead, last) =
                try row.decode((Int, Int, Int, Int, Int, Int, Int, Int64).self)
            return ConsoleRows.Overview.make(vehicles: vehicles, firedLastHour: fired, suppressedLastHour: suppressed,
                                             inboxUnprocessed: inbox, outboxQueued: queued, outboxInFlight: flying,
                                             deadLetters: dead, lastInboxId: last)
        }
    }

    /// The commands not finished yet (queued or in flight), oldest first.
    package func consoleOpenCommands(limit: Int) async throws -> [ActionRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.actionColumns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
                FROM outbox o JOIN action a ON a.id = o.action_id
                WHERE o.status IN ('queued', 'inFlight') ORDER BY o.id LIMIT \(Int64(limit))
                """).map(Self.actionRecord)
        }
    }

    /// One decision's trace, or nil when there is no such decision.
    package func consoleTrace(firingId: Int64) async throws -> ConsoleRows.Trace? {
        try await withConnection { db in
            guard let row = try await db.rows("""
                SELECT id, at, vin, bundle, rule, event, reason, inbox_id, actions FROM firing WHERE id = \(firingId)
                """).first else { return nil }
            let decision = try Self.consoleDecision(row)
            let rendered = try row.decode((Int64, Date, String, String, String, String, String?, Int64?, String).self).8
            var cause: InboxRecord?
            if let inboxId = decision.inboxId {
                cause = try await db.rows("""
                    SELECT id, received_at, dedup_key, vin, type, event_date, body, processed, processed_at FROM inbox
                    WHERE id = \(inboxId)
                    """).first.map(Self.inboxRecord)
            }
            let actions = try await db.rows("""
                SELECT \(unescaped: Self.actionColumns) FROM action WHERE firing_id = \(firingId) ORDER BY position
                """).map(Self.actionRecord)
            var lives: [ConsoleRows.ActionLife] = []
            for action in actions {
                let actionId = action.id ?? 0
                let attempts = try await db.rows("""
                    SELECT id, attempt, started_at, finished_at, remote_action_id, http_status, outcome, failure_cause, detail
                    FROM action_attempt WHERE action_id = \(actionId) ORDER BY attempt
                    """).map { row in
                    let (id, attempt, started, finished, remoteId, http, outcome, failure, detail) =
                        try row.decode((Int64, Int, Date, Date?, String?, Int?, String, String?, String?).self)
                    return ActionAttemptRecord(id: id, actionId: actionId, attempt: attempt, startedAt: started,
                                               finishedAt: finished, remoteActionId: remoteId, httpStatus: http,
                                               outcome: outcome, failureCause: failure, detail: detail)
                }
                var ids = Set(attempts.compactMap(\.remoteActionId))
                if let id = action.remoteActionId { ids.insert(id) }
                var events: [ConsoleRows.RemoteEvent] = []
                for id in ids.sorted() {
                    events += try await db.rows("""
                        SELECT type, status, failure_cause, event_date, received_at FROM remote_event
                        WHERE remote_action_id = \(id) ORDER BY id
                        """).map { row in
                        let (type, status, failure, eventDate, receivedAt) =
                            try row.decode((String, String, String?, String?, Date).self)
                        return ConsoleRows.RemoteEvent.make(type: type, status: status, failureCause: failure,
                                                            eventDate: eventDate, receivedAt: receivedAt)
                    }
                }
                lives.append(ConsoleRows.ActionLife.make(action: action, attempts: attempts,
                                                         remoteEvents: events.sorted { $0.receivedAt < $1.receivedAt }))
            }
            return ConsoleRows.Trace.make(decision: decision, cause: cause, renderedActions: rendered, actions: lives)
        }
    }

    private static func consoleDecision(_ row: PostgresRow) throws -> ConsoleRows.Decision {
        let columns = row.makeRandomAccess()
        return ConsoleRows.Decision.make(
            id: try columns[0].decode(Int64.self), at: try columns[1].decode(Date.self),
            vin: try columns[2].decode(String.self), bundle: try columns[3].decode(String.self),
            rule: try columns[4].decode(String.self), event: try columns[5].decode(String.self),
            reason: try columns[6].decode(String?.self), inboxId: try columns[7].decode(Int64?.self))
    }

    /// How many monitors are deployed (on one vehicle when given), on how many vehicles,
    /// and when the latest was deployed.
    package func deploymentSummary(vin: String?) async throws -> (monitors: Int, vehicles: Int, latest: Date?) {
        try await withConnection { db in
            let rows: [PostgresRow]
            if let vin {
                rows = try await db.rows("""
                    SELECT count(*), count(DISTINCT vin), max(deployed_at) FROM deployed_monitor WHERE vin = \(vin)
                    """)
            } else {
                rows = try await db.rows("SELECT count(*), count(DISTINCT vin), max(deployed_at) FROM deployed_monitor")
            }
            guard let row = rows.first else { return (0, 0, nil) }
            let (monitors, vehicles, latest) = try row.decode((Int, Int, Date?).self)
            return (monitors, vehicles, latest)
        }
    }
}

extension PostgresStore: ConsoleStore {}
