import Foundation
import OutcomeStore
import PostgresNIO

/// The web console's read queries (docs/console.md) on PostgreSQL: the same answers as
/// `OutcomeDatabase+Console.swift`, row for row (`RuntimeStoreConformance+Console` —
/// here `PostgresConsoleTests` — compares them on the same data).
///
/// Once `vigie serve` runs partitions, each partition's engine saves its vehicles under
/// `serve/p<N>` (docs/cluster.md): the console's `scope` is then the base of those scopes,
/// and a vehicle's state is its partition's row, or the row saved under the base before
/// partitions ran when its partition has saved none yet.
extension PostgresStore {
    /// The scopes whose rows make up `scope`'s vehicles: `scope` itself, and its
    /// partitions' once P is recorded.
    private static func consoleScopes(_ scope: String, in db: PGConnection) async throws -> [String] {
        guard let count = try await db.value("SELECT count FROM partition_config WHERE id = 1", as: Int.self) else {
            return [scope]
        }
        return [scope] + (0..<count).map { "\(scope)/p\($0)" }
    }

    /// One row per vehicle of `scope` (above): the partition's row before the base's.
    private static func consoleStates(_ scope: String, in db: PGConnection) async throws -> PostgresQuery {
        let scopes = try await consoleScopes(scope, in: db)
        return """
            SELECT DISTINCT ON (vin) vin, state, updated_at FROM engine_state
            WHERE scope = ANY(\(scopes)) ORDER BY vin, scope = \(scope), updated_at DESC
            """
    }

    /// How many vehicles have saved state in `scope`.
    package func consoleVehicleCount(scope: String) async throws -> Int {
        try await withConnection { db in
            let scopes = try await Self.consoleScopes(scope, in: db)
            return try await db.value("SELECT count(DISTINCT vin) FROM engine_state WHERE scope = ANY(\(scopes))",
                                      as: Int.self) ?? 0
        }
    }

    /// A page of vehicles (ordered by VIN) with their saved state; `vin` keeps only that one.
    package func consoleVehicles(scope: String, vin: String? = nil, offset: Int, limit: Int) async throws
        -> [ConsoleRows.VehicleState] {
        try await withConnection { db in
            var query = try await Self.consoleStates(scope, in: db)
            query.sql = "SELECT vin, state, updated_at FROM (\(query.sql)) AS vehicle"
            if let vin {
                query.binds.append(vin)
                query.sql += " WHERE vin = $\(query.binds.count)"
            }
            query.binds.append(Int64(limit))
            query.binds.append(Int64(offset))
            query.sql += " ORDER BY vin LIMIT $\(query.binds.count - 1) OFFSET $\(query.binds.count)"
            return try await db.rows(query).map { row in
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
            let scopes = try await Self.consoleScopes(scope, in: db)
            let newest = try await db.rows("SELECT max(updated_at) FROM engine_state WHERE scope = ANY(\(scopes))")
                .first?.decode(Date?.self) ?? nil
            guard let since else { return ([], newest) }
            var query = try await Self.consoleStates(scope, in: db)
            query.binds.append(since)
            query.binds.append(Int64(limit))
            query.sql = """
                SELECT vin FROM (\(query.sql)) AS vehicle WHERE updated_at > $\(query.binds.count - 1)
                ORDER BY updated_at DESC LIMIT $\(query.binds.count)
                """
            let vins = try await db.rows(query).map { try $0.decode(String.self) }
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
            let scopes = try await Self.consoleScopes(scope, in: db)
            let hourAgo = now.addingTimeInterval(-3600)
            guard let row = try await db.rows("""
                SELECT (SELECT count(DISTINCT vin) FROM engine_state WHERE scope = ANY(\(scopes))),
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
