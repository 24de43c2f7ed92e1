import Foundation
import OutcomeStore
import PostgresNIO

// The dispatcher's and the poller's side: claims, outcomes, remote progress, budgets.
// Each change is one transaction, like the SQLite store's (OutcomeDatabase+DispatchQueue).
extension PostgresStore {
    static let dispatchSelect = """
        SELECT o.id, o.action_id, a.firing_id, o.vin, f.bundle, f.rule, o.body, f.at, a.status, a.attempts,
               a.remote_action_id, a.sent_at,
               (SELECT t.started_at FROM action_attempt t WHERE t.action_id = a.id ORDER BY t.attempt DESC LIMIT 1)
        FROM outbox o JOIN action a ON a.id = o.action_id JOIN firing f ON f.id = a.firing_id
        """

    static func dispatchItem(_ row: PostgresRow) throws -> DispatchItem {
        let (outboxId, actionId, firingId, vin, bundle, rule, body, decidedAt, status, attempts, remoteId, sentAt, started) =
            try row.decode((Int64, Int64, Int64, String, String, String, String, Date, String, Int, String?, Date?,
                            Date?).self)
        return DispatchItem(outboxId: outboxId, actionId: actionId, firingId: firingId, vin: vin, bundle: bundle, rule: rule,
                            body: body, decidedAt: decidedAt, status: ActionStatus(rawValue: status), attempts: attempts,
                            remoteActionId: remoteId, sentAt: sentAt, attemptStartedAt: started)
    }

    /// Under a `PartitionScope`, the commands of the partitions held now only.
    package func nextDispatchItems(at now: Date, limit: Int) async throws -> [DispatchItem] {
        let owned = PartitionScope.current.map { $0.owned() }
        if owned?.isEmpty == true { return [] }
        return try await withConnection { db in
            try await db.rows("""
                \(unescaped: Self.dispatchSelect)
                WHERE o.status = 'queued' AND (o.not_before IS NULL OR o.not_before <= \(now))
                  AND (\(owned == nil) OR o.partition = ANY(\(owned ?? [])))
                  AND o.id = (SELECT min(q.id) FROM outbox q WHERE q.vin = o.vin AND q.status = 'queued')
                  AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.vin = o.vin AND x.status = 'inFlight')
                ORDER BY o.id LIMIT \(Int64(limit))
                """).map(Self.dispatchItem)
        }
    }

    /// Under a `PartitionScope`: the commands of the partitions held now, and a command
    /// left `sending` only once its claimer's POST deadline (`postDeadline` after the claim,
    /// both in the database's clock) has passed — its claimer may have died or lost the
    /// partition, but it never POSTs after that deadline, so listing the remotes then tells
    /// whether the POST was applied.
    package func inFlightDispatchItems() async throws -> [DispatchItem] {
        guard let scope = PartitionScope.current else {
            return try await withConnection { db in
                try await db.rows("\(unescaped: Self.dispatchSelect) WHERE o.status = 'inFlight' ORDER BY o.id")
                    .map(Self.dispatchItem)
            }
        }
        let owned = scope.owned()
        guard !owned.isEmpty else { return [] }
        return try await withConnection { db in
            try await db.rows("""
                \(unescaped: Self.dispatchSelect)
                WHERE o.status = 'inFlight' AND o.partition = ANY(\(owned))
                  AND (a.status <> 'sending' OR NOT EXISTS (
                      SELECT 1 FROM action_attempt t WHERE t.action_id = a.id AND t.outcome = 'sending'
                        AND t.claimed_at + make_interval(secs => \(scope.postDeadline)) > now()))
                ORDER BY o.id
                """).map(Self.dispatchItem)
        }
    }

    /// Claims the command: its outbox row is locked (`FOR UPDATE`, so concurrent claimers
    /// queue behind each other and see the first one's outcome) and moved to `inFlight`
    /// only if still `queued`; the partial unique index refuses a second command in flight
    /// for the vehicle, even one claimed at the same instant on another instance. The
    /// action turns `sending` in the same transaction: `commandsSent` counts it at once.
    package func beginAttempt(outboxId: Int64, at now: Date) async throws -> Int {
        do {
            return try await transaction { db in try await Self.claim(outboxId: outboxId, at: now, in: db) }
        } catch let error as PSQLError where Self.isSecondInFlight(error) {
            throw OutcomeStoreError.notClaimable(outboxId, "another command of its vehicle is in flight")
        }
    }

    /// Whether the partial unique index refused a second command in flight for a vehicle.
    static func isSecondInFlight(_ error: PSQLError) -> Bool {
        error.sqlState == "23505" && error.constraint == "outbox_one_in_flight_per_vehicle"
    }

    /// `beginAttempt` inside the caller's transaction.
    static func claim(outboxId: Int64, at now: Date, in db: PGConnection) async throws -> Int {
        guard let row = try await db.rows("""
            SELECT status, vin, action_id FROM outbox WHERE id = \(outboxId) FOR UPDATE
            """).first else { throw OutcomeStoreError.unknownOutboxItem(outboxId) }
        let (status, vin, actionId) = try row.decode((String, String, Int64).self)
        do {
            try await fence(vins: [vin], in: db)
        } catch let error as PostgresStoreError {
            throw OutcomeStoreError.notClaimable(outboxId, "\(error)")
        }
        guard status == OutboxRecord.Status.queued.rawValue else {
            throw OutcomeStoreError.notClaimable(outboxId, "it is \(status), not queued")
        }
        let busy = try await db.value("""
            SELECT count(*) FROM outbox WHERE vin = \(vin) AND status = 'inFlight'
            """, as: Int.self) ?? 0
        guard busy == 0 else {
            throw OutcomeStoreError.notClaimable(outboxId, "another command of \(vin) is in flight")
        }
        try await db.execute("""
            UPDATE outbox SET status = 'inFlight', updated_at = \(now) WHERE id = \(outboxId) AND status = 'queued'
            """)
        guard let attempt = try await db.value("""
            UPDATE action SET attempts = attempts + 1, status = 'sending', updated_at = \(now)
            WHERE id = \(actionId) RETURNING attempts
            """, as: Int.self) else { throw OutcomeStoreError.unknownAction(actionId) }
        try await db.execute("""
            INSERT INTO action_attempt (action_id, attempt, started_at, outcome)
            VALUES (\(actionId), \(attempt), \(now), 'sending')
            """)
        return attempt
    }

    package func attempts(actionId: Int64) async throws -> [ActionAttemptRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT id, attempt, started_at, finished_at, remote_action_id, http_status, outcome, failure_cause, detail
                FROM action_attempt WHERE action_id = \(actionId) ORDER BY attempt
                """).map { row in
                let (id, attempt, started, finished, remoteId, http, outcome, cause, detail) =
                    try row.decode((Int64, Int, Date, Date?, String?, Int?, String, String?, String?).self)
                return ActionAttemptRecord(id: id, actionId: actionId, attempt: attempt, startedAt: started,
                                           finishedAt: finished, remoteActionId: remoteId, httpStatus: http,
                                           outcome: outcome, failureCause: cause, detail: detail)
            }
        }
    }

    package func recordDispatchAccepted(actionId: Int64, remoteActionId: String, httpStatus: Int?, at now: Date,
                                       retry: @escaping DispatchRetryRule) async throws -> [DispatchTransition] {
        try await transaction { db in
            try await Self.accept(actionId: actionId, remoteActionId: remoteActionId, httpStatus: httpStatus, at: now,
                                  retry: retry, in: db)
        }
    }

    /// `recordDispatchAccepted` inside the caller's transaction.
    static func accept(actionId: Int64, remoteActionId: String, httpStatus: Int?, at now: Date,
                       retry: DispatchRetryRule, in db: PGConnection) async throws -> [DispatchTransition] {
        _ = try await Self.action(actionId, in: db)
        try await db.execute("""
            UPDATE action SET status = 'sent', remote_action_id = \(remoteActionId), sent_at = \(now), updated_at = \(now)
            WHERE id = \(actionId)
            """)
        try await Self.closeAttempt(actionId: actionId, outcome: "accepted", httpStatus: httpStatus,
                                    remoteActionId: remoteActionId, failureCause: nil, detail: nil, at: now, in: db)
        let events = try await db.rows("""
            SELECT id, type, status, failure_cause FROM remote_event
            WHERE remote_action_id = \(remoteActionId) AND applied_at IS NULL ORDER BY id
            """).map { try $0.decode((Int64, String, String, String?).self) }
        var out: [DispatchTransition] = []
        for (id, type, status, cause) in events {
            let event = DispatchRemoteEvent(remoteActionId: remoteActionId, type: type, status: status, failureCause: cause)
            if let t = try await Self.applyRemoteEvent(event, eventId: id, at: now, retry: retry, in: db) { out.append(t) }
        }
        return out
    }

    package func finishDispatch(actionId: Int64, status: ActionStatus, failureCause: String?, detail: String?,
                               httpStatus: Int?, at now: Date) async throws -> DispatchTransition {
        try await transaction { db in
            try await Self.finish(actionId: actionId, status: status, failureCause: failureCause, detail: detail,
                                  httpStatus: httpStatus, at: now, in: db)
        }
    }

    package func requeueDispatch(actionId: Int64, httpStatus: Int?, detail: String, retryAt: Date, at now: Date) async throws {
        try await transaction { db in
            _ = try await Self.action(actionId, in: db)
            try await Self.closeAttempt(actionId: actionId, outcome: "retry", httpStatus: httpStatus, remoteActionId: nil,
                                        failureCause: nil, detail: detail, at: now, in: db)
            try await db.execute("UPDATE action SET status = 'queued', updated_at = \(now) WHERE id = \(actionId)")
            try await Self.setOutbox(actionId: actionId, status: .queued, notBefore: retryAt, at: now, in: db)
        }
    }

    package func knownRemoteActionIds(vin: String) async throws -> Set<String> {
        try await withConnection { db in
            Set(try await db.rows("""
                SELECT remote_action_id FROM action WHERE vin = \(vin) AND remote_action_id IS NOT NULL
                UNION SELECT t.remote_action_id FROM action_attempt t JOIN action a ON a.id = t.action_id
                WHERE a.vin = \(vin) AND t.remote_action_id IS NOT NULL
                """).map { try $0.decode(String.self) })
        }
    }

    package func commandsSent(vin: String, from: Date, to: Date) async throws -> (commands: Int, wakeUps: Int) {
        try await withConnection { db in
            guard let row = try await db.rows("""
                SELECT count(*),
                       COALESCE(sum(CASE WHEN a.payload LIKE '{"wakeUp"%' OR EXISTS (
                           SELECT 1 FROM remote_event e WHERE e.remote_action_id = a.remote_action_id
                             AND e.status = 'WakingUpVehicle') THEN 1 ELSE 0 END), 0)
                FROM action a
                WHERE a.vin = \(vin) AND a.kind = 'remote'
                  AND ((a.sent_at >= \(from) AND a.sent_at < \(to)) OR a.status = 'sending')
                """).first else { return (0, 0) }
            let (commands, wakeUps) = try row.decode((Int, Int).self)
            return (commands, wakeUps)
        }
    }

    package func unfinishedFirings() async throws -> [FiringKey: Int] {
        try await withConnection { db in
            var out: [FiringKey: Int] = [:]
            for row in try await db.rows("""
                SELECT f.vin, f.bundle, f.rule, count(DISTINCT f.id) FROM firing f JOIN action a ON a.firing_id = f.id
                WHERE f.event = 'fired' AND a.status IN ('queued', 'sending', 'sent', 'pending')
                GROUP BY f.vin, f.bundle, f.rule
                """) {
                let (vin, bundle, rule, n) = try row.decode((String, String, String, Int).self)
                out[FiringKey(vin: vin, bundle: bundle, rule: rule)] = n
            }
            return out
        }
    }

    // MARK: The live engine loop's step

    package func commitDispatchStep(_ step: DispatchStep, at now: Date,
                                   retry: @escaping DispatchRetryRule) async throws -> DispatchStepResult {
        try await transaction { db in
            var vins = step.commit.decisions.map(\.vin) + step.commit.vehicleStates.keys
            if PartitionScope.current.map({ $0.partition == nil }) == true, !step.remoteEvents.isEmpty {
                vins += try await db.rows("""
                    SELECT DISTINCT vin FROM action WHERE remote_action_id = ANY(\(step.remoteEvents.map(\.remoteActionId)))
                    """).map { try $0.decode(String.self) }
            }
            try await Self.fence(vins: vins, in: db)
            var result = DispatchStepResult()
            for (i, decision) in step.commit.decisions.enumerated() {
                if i < step.cancelsRunning.count, step.cancelsRunning[i] {
                    result.transitions += try await Self.cancelRunning(vin: decision.vin, bundle: decision.bundle,
                                                                       rule: decision.rule, at: now, in: db)
                }
                result.firingIds.append(try await Self.insert(decision, dispatch: step.commit.dispatch, now: now, in: db))
            }
            for event in step.remoteEvents {
                if let t = try await Self.applyRemoteEvent(event, eventId: nil, at: now, retry: retry, in: db) {
                    result.transitions.append(t)
                } else if try await db.value("""
                    SELECT applied_at IS NULL FROM remote_event WHERE remote_action_id = \(event.remoteActionId)
                    ORDER BY id DESC LIMIT 1
                    """, as: Bool.self) ?? false {
                    result.unmatchedEvents += 1
                }
            }
            var rest = step.commit
            rest.decisions = []
            _ = try await Self.apply(rest, now: now, in: db)
            return result
        }
    }

    /// `mode: restart`: the queued actions of earlier firings of the rule on the vehicle are skipped.
    static func cancelRunning(vin: String, bundle: String, rule: String, at now: Date,
                              in db: PGConnection) async throws -> [DispatchTransition] {
        let ids = try await db.rows("""
            SELECT a.id FROM action a JOIN firing f ON f.id = a.firing_id
            WHERE f.vin = \(vin) AND f.bundle = \(bundle) AND f.rule = \(rule) AND f.event = 'fired' AND a.status = 'queued'
            ORDER BY a.id
            """).map { try $0.decode(Int64.self) }
        var out: [DispatchTransition] = []
        for id in ids {
            out.append(try await finish(actionId: id, status: .skipped, failureCause: "cancelled",
                                        detail: "cancelled by a new firing of a mode: restart rule", httpStatus: nil,
                                        at: now, in: db))
        }
        return out
    }

    /// Stores a remote event (when `eventId` is nil) and applies it to the action with its
    /// remote id, if there is one yet.
    static func applyRemoteEvent(_ event: DispatchRemoteEvent, eventId: Int64?, at now: Date,
                                 retry: DispatchRetryRule, in db: PGConnection) async throws -> DispatchTransition? {
        var id = eventId
        if id == nil {
            id = try await db.value("""
                INSERT INTO remote_event (remote_action_id, type, status, failure_cause, event_date, inbox_id, received_at)
                VALUES (\(event.remoteActionId), \(event.type), \(event.status), \(event.failureCause), \(event.eventDate),
                        \(event.inboxId), \(now))
                RETURNING id
                """, as: Int64.self)
        }
        guard let row = try await db.rows("""
            SELECT \(unescaped: actionColumns) FROM action WHERE remote_action_id = \(event.remoteActionId)
            ORDER BY id DESC LIMIT 1
            """).first else { return nil }
        let action = try actionRecord(row)
        let actionId = action.id ?? 0
        try await db.execute("UPDATE remote_event SET applied_at = \(now) WHERE id = \(id)")
        guard let status = action.actionStatus, !status.isFinal, status != .queued else { return nil }
        let isDone = event.type == "Done" || ["Success", "AlreadyDone", "Failed"].contains(event.status)
        guard isDone else {
            guard status == .sent else { return nil }
            try await db.execute("UPDATE action SET status = 'pending', updated_at = \(now) WHERE id = \(actionId)")
            return try await transition(action, .pending, failureCause: nil, retryAt: nil, completed: nil, in: db)
        }
        switch event.status {
        case "Success":
            return try await finish(actionId: actionId, status: .succeeded, failureCause: nil, detail: nil, httpStatus: nil,
                                    at: now, in: db)
        case "AlreadyDone":
            return try await finish(actionId: actionId, status: .alreadyDone, failureCause: nil, detail: nil,
                                    httpStatus: nil, at: now, in: db)
        default:
            let cause = event.failureCause ?? event.status
            if let retryAt = retry(cause, action.attempts) {
                try await closeAttempt(actionId: actionId, outcome: "failed", httpStatus: nil, remoteActionId: nil,
                                       failureCause: cause, detail: "retry at \(Timestamp.format(retryAt))", at: now, in: db)
                try await db.execute("UPDATE action SET status = 'queued', updated_at = \(now) WHERE id = \(actionId)")
                try await setOutbox(actionId: actionId, status: .queued, notBefore: retryAt, at: now, in: db)
                return try await transition(action, .queued, failureCause: cause, retryAt: retryAt, completed: nil, in: db)
            }
            return try await finish(actionId: actionId, status: .failed, failureCause: cause, detail: nil, httpStatus: nil,
                                    at: now, in: db)
        }
    }

    // MARK: Shared moves (inside the caller's transaction)

    static func action(_ id: Int64, in db: PGConnection) async throws -> ActionRecord {
        guard let row = try await db.rows("SELECT \(unescaped: actionColumns) FROM action WHERE id = \(id) FOR UPDATE").first
        else { throw OutcomeStoreError.unknownAction(id) }
        let action = try actionRecord(row)
        try await fence(vins: [action.vin], in: db)   // a stale owner's outcome is not recorded
        return action
    }

    static func finish(actionId: Int64, status: ActionStatus, failureCause: String?, detail: String?, httpStatus: Int?,
                       at now: Date, in db: PGConnection) async throws -> DispatchTransition {
        let action = try await self.action(actionId, in: db)
        try await db.execute("""
            UPDATE action SET status = \(status.rawValue), failure_cause = \(failureCause), done_at = \(now), updated_at = \(now)
            WHERE id = \(actionId)
            """)
        try await closeAttempt(actionId: actionId, outcome: status.rawValue, httpStatus: httpStatus, remoteActionId: nil,
                               failureCause: failureCause, detail: detail, at: now, in: db)
        try await setOutbox(actionId: actionId, status: .done, notBefore: nil, at: now, in: db)
        return try await transition(action, status, failureCause: failureCause, retryAt: nil,
                                    completed: try await completedFiring(action.firingId, in: db), in: db)
    }

    static func transition(_ action: ActionRecord, _ status: ActionStatus, failureCause: String?, retryAt: Date?,
                           completed: FiringKey?, in db: PGConnection) async throws -> DispatchTransition {
        var transition = DispatchTransition(actionId: action.id ?? 0, vin: action.vin, status: status,
                                            failureCause: failureCause, retryAt: retryAt, completed: completed)
        if let row = try await db.rows("SELECT bundle, rule FROM firing WHERE id = \(action.firingId)").first {
            (transition.bundle, transition.rule) = try row.decode((String, String).self)
        }
        return transition
    }

    static func completedFiring(_ firingId: Int64, in db: PGConnection) async throws -> FiringKey? {
        let open = try await db.value("""
            SELECT count(*) FROM action WHERE firing_id = \(firingId) AND status IN ('queued', 'sending', 'sent', 'pending')
            """, as: Int.self) ?? 0
        guard open == 0,
              let row = try await db.rows("SELECT vin, bundle, rule FROM firing WHERE id = \(firingId)").first else { return nil }
        let (vin, bundle, rule) = try row.decode((String, String, String).self)
        return FiringKey(vin: vin, bundle: bundle, rule: rule)
    }

    static func setOutbox(actionId: Int64, status: OutboxRecord.Status, notBefore: Date?, at now: Date,
                          in db: PGConnection) async throws {
        try await db.execute("""
            UPDATE outbox SET status = \(status.rawValue), not_before = \(notBefore), updated_at = \(now)
            WHERE action_id = \(actionId)
            """)
    }

    /// Closes the latest attempt of an action (if any), adding what is known.
    static func closeAttempt(actionId: Int64, outcome: String, httpStatus: Int?, remoteActionId: String?,
                             failureCause: String?, detail: String?, at now: Date, in db: PGConnection) async throws {
        try await db.execute("""
            UPDATE action_attempt SET outcome = \(outcome), finished_at = \(now),
                http_status = COALESCE(\(httpStatus), http_status),
                remote_action_id = COALESCE(\(remoteActionId), remote_action_id),
                failure_cause = COALESCE(\(failureCause), failure_cause),
                detail = COALESCE(\(detail), detail)
            WHERE id = (SELECT id FROM action_attempt WHERE action_id = \(actionId) ORDER BY attempt DESC LIMIT 1)
            """)
    }
}
