import Foundation

/// What the live runtime's services need from a database, and nothing more: the
/// receiver's intake, the engine's ordered inbox and its one-transaction step, the
/// dispatcher's claims and outcomes, the guardrails' holds, budgets and journal, and the
/// log queries. `OutcomeDatabase` (SQLite) implements it; a PostgreSQL store implements
/// the same protocol and passes the same conformance suite
/// (`Tests/OutcomeStoreTests/Conformance`).
///
/// Every requirement is `async`: a store may talk to a server. A synchronous method
/// satisfies an `async` requirement, so `OutcomeDatabase` keeps its synchronous API for
/// its direct callers (replay, the CLI's readers).
///
/// Invariants every store keeps (the conformance suite checks each one):
/// - a dedup key is stored once: `appendIntake` counts a repeat as a duplicate;
/// - `unprocessedInbox(after:limit:)` returns rows in commit order: once a row is returned,
///   no row committed later gets a smaller id (a reader never skips a row);
/// - `commit` and `commitDispatchStep` are one transaction each: all of a step or nothing;
/// - a command is claimed (`beginAttempt`) only while it is still queued, and never while
///   its vehicle has another command in flight, whoever else claims at the same time;
/// - attempt numbers are unique per command;
/// - one open hold per kind and scope (`addHold` returns the open one);
/// - a claimed command counts in `commandsSent` from the claim's own transaction on.
package protocol RuntimeStore: Sendable {
    // MARK: Intake (the receiver)

    /// Stores the batches of one group commit in ONE transaction, durable on return; one
    /// receipt per batch, in order. A dedup key already stored, or repeated earlier in
    /// these batches, counts as a duplicate of the batch that repeats it.
    func appendIntake(_ batches: [IntakeBatch], at receivedAt: Date) async throws -> [IntakeReceipt]

    /// Keeps an item the engine could not use (e.g. a stored notification it cannot decode).
    func addDeadLetter(source: String, body: String, error: String, at: Date) async throws

    // MARK: Inbox (the engine)

    /// Unprocessed notifications with an id above `id`, in commit order.
    func unprocessedInbox(after id: Int64, limit: Int) async throws -> [InboxRecord]

    /// Marks notifications processed (when no decision step carries them).
    func markProcessed(_ ids: [Int64], at: Date) async throws

    // MARK: Decision steps and engine state

    /// Commits one engine step (decisions, outbox rows, engine state, checkpoint, processed
    /// inbox ids) in one transaction. Returns the new firing ids, in order.
    @discardableResult
    func commit(_ step: DecisionCommit, now: Date) async throws -> [Int64]

    /// Commits one step of the live engine loop (cancellations, decisions, remote events,
    /// state, checkpoint, processed ids) in one transaction.
    func commitDispatchStep(_ step: DispatchStep, at now: Date, retry: @escaping DispatchRetryRule) async throws
        -> DispatchStepResult

    /// The saved engine state of a scope: its checkpoint and every vehicle's snapshot.
    func engineState(scope: String) async throws -> (checkpoint: EngineCheckpointRecord?, vehicles: [String: Data])

    /// Forgets a scope's saved state.
    func resetEngineState(scope: String) async throws

    // MARK: Commands (the dispatcher and the poller)

    /// For every vehicle with nothing in flight, its oldest queued command that is due.
    func nextDispatchItems(at now: Date, limit: Int) async throws -> [DispatchItem]

    /// Every command in flight (being POSTed, or sent and waiting for its `Done`).
    func inFlightDispatchItems() async throws -> [DispatchItem]

    /// Claims a queued command (conditional: throws `OutcomeStoreError.notClaimable` when
    /// it is not queued any more or its vehicle has another command in flight) and opens
    /// its next attempt; returns the attempt number.
    func beginAttempt(outboxId: Int64, at now: Date) async throws -> Int

    /// The API accepted a command: records its remote id and applies the progress
    /// notifications that arrived before.
    func recordDispatchAccepted(actionId: Int64, remoteActionId: String, httpStatus: Int?, at now: Date,
                                retry: @escaping DispatchRetryRule) async throws -> [DispatchTransition]

    /// Ends a command in a final state.
    func finishDispatch(actionId: Int64, status: ActionStatus, failureCause: String?, detail: String?,
                        httpStatus: Int?, at now: Date) async throws -> DispatchTransition

    /// Puts a command whose POST did not go through back in the queue until `retryAt`.
    func requeueDispatch(actionId: Int64, httpStatus: Int?, detail: String, retryAt: Date, at now: Date) async throws

    /// Every remote id recorded for `vin` (current and earlier attempts).
    func knownRemoteActionIds(vin: String) async throws -> Set<String>

    /// Every attempt at an action, in order.
    func attempts(actionId: Int64) async throws -> [ActionAttemptRecord]

    // MARK: - Grouped dispatch (one transaction for many commands)

    /// Claims several queued commands in ONE transaction, each exactly as `beginAttempt`
    /// does (only while queued, never beside another command of its vehicle in flight —
    /// nor beside a command of the same vehicle claimed earlier in this call; counted by
    /// `commandsSent` from this transaction on). A refused claim changes nothing and the
    /// others go on. Per id, in order: the attempt number, or why it was not claimed.
    func beginAttempts(outboxIds: [Int64], at now: Date) async throws -> [Result<Int, OutcomeStoreError>]

    /// Records several acceptances by the API in ONE transaction, each exactly as
    /// `recordDispatchAccepted` does. Per acceptance, in order: the moves it caused. An
    /// unknown action fails the whole call (nothing is recorded).
    func recordDispatchAcceptances(_ accepted: [DispatchAcceptance], retry: @escaping DispatchRetryRule) async throws
        -> [[DispatchTransition]]

    // MARK: Budgets

    /// Remote commands of `vin` sent in `[from, to)` (and those being POSTed now), and how
    /// many were wake-ups.
    func commandsSent(vin: String, from: Date, to: Date) async throws -> (commands: Int, wakeUps: Int)

    /// Per rule and vehicle, the fired decisions that still have an unfinished action.
    func unfinishedFirings() async throws -> [FiringKey: Int]

    // MARK: Holds and the control journal

    /// Records a hold and its journal entry; an open hold of the same kind and scope is
    /// returned as it is instead. Returns the hold and whether it is new.
    @discardableResult
    func addHold(_ hold: ControlHoldRecord, detail: String?) async throws -> (hold: ControlHoldRecord, isNew: Bool)

    /// Lifts every open hold the selector matches (of the given kinds), journalling each.
    func resumeHolds(matching selector: ControlSelector, kinds: Set<ControlHoldRecord.Kind>, at now: Date,
                     detail: String?) async throws -> [ControlHoldRecord]

    /// The holds in force, in creation order.
    func activeHolds() async throws -> [ControlHoldRecord]

    /// The holds in force and those lifted at or after `since`.
    func holds(activeOrResumedSince since: Date) async throws -> [ControlHoldRecord]

    /// A counter that changes whenever a hold is added or lifted, or a manual command is
    /// queued (by any process).
    func controlVersion() async throws -> Int64

    @discardableResult
    func recordControlEvent(_ event: ControlEventRecord) async throws -> ControlEventRecord

    /// The journal, oldest first; the last `limit` entries when given.
    func controlEvents(limit: Int?) async throws -> [ControlEventRecord]

    /// The journal entries of one kind (for one vehicle when given) at or after `since`.
    func controlEvents(kind: ControlEventRecord.Kind, vin: String?, since: Date?) async throws -> [ControlEventRecord]

    /// Flapping holds still open.
    func openFlapHolds() async throws -> [ControlEventRecord]

    /// Makes the configuration's pause a hold when set, and lifts it when not.
    func syncConfigHold(paused: Bool, at now: Date) async throws

    // MARK: - Notifications (delivery)

    /// Enqueues notifications not tied to a decision (Vigie's own alerts; a rule's go with
    /// its decision through `DecisionRecord.notifications`): one delivery per channel, all
    /// in one transaction, durable on return. A request whose `dedupKey` a channel already
    /// has adds nothing for that channel. Returns the deliveries made.
    @discardableResult
    func enqueueNotifications(_ requests: [NotificationRequest], at now: Date) async throws -> [NotificationDeliveryRecord]

    /// Per channel with unfinished deliveries, the earliest instant one can be claimed
    /// (a queued or retrying one's `notBefore`, a sending one's `leaseUntil`).
    func notificationSchedule() async throws -> [String: Date]

    /// Claims up to `limit` deliveries of `channel` that are due at `now` (queued or
    /// retrying and past `notBefore`, or sending with an ended lease: their claimant died),
    /// oldest first: each becomes `sending` until `leaseUntil`, its attempt count goes up
    /// and its attempt row opens. Never returns a delivery another claim holds.
    func claimNotificationDeliveries(channel: String, at now: Date, limit: Int, leaseUntil: Date) async throws
        -> [NotificationDeliveryRecord]

    /// Records how attempt `attempt` of delivery row `id` ended. Returns false, changing
    /// nothing, when that attempt is no longer the delivery's live claim.
    @discardableResult
    func recordNotificationAttempt(deliveryRowId id: Int64, attempt: Int, outcome: NotificationAttemptOutcome,
                                   at now: Date) async throws -> Bool

    /// `recordNotificationAttempt` for several attempts, in ONE transaction; per report, in
    /// order, whether it was recorded.
    @discardableResult
    func recordNotificationAttempts(_ reports: [NotificationAttemptReport], at now: Date) async throws -> [Bool]

    /// The deliveries of these firings' notify actions, by row id.
    func notificationDeliveries(firingIds: [Int64]) async throws -> [NotificationDeliveryRecord]

    /// The newest deliveries (of one status when given), newest first.
    func notificationDeliveries(status: NotificationDeliveryRecord.Status?, limit: Int) async throws
        -> [NotificationDeliveryRecord]

    /// Every attempt at a delivery, in order.
    func notificationAttempts(deliveryRowId id: Int64) async throws -> [NotificationAttemptRecord]

    /// Unfinished deliveries, those being sent, and the oldest one's creation.
    func notificationQueueStats() async throws -> NotificationQueueStats

    // MARK: Metrics, health and log queries

    /// Inbox rows not processed, outbox rows queued and in flight.
    func runtimeQueueDepths() async throws -> (inboxUnprocessed: Int, outboxQueued: Int, outboxInFlight: Int)

    /// Decisions matching `filter`, oldest first, each with its actions' outcomes.
    func loggedDecisions(_ filter: LogFilter) async throws -> [LoggedDecision]

    /// Number of decisions recorded.
    func decisionCount() async throws -> Int

    /// Every dead letter, oldest first.
    func deadLetters() async throws -> [DeadLetterRecord]

    /// Throws when the store cannot be read (for `/healthz` and `/readyz`).
    func ping() async throws

    // MARK: - Manual commands (`vigie send`, the console; OutcomeDatabase+Manual, PostgresStore+Manual)

    /// Queues a command asked for by hand as a fired decision of bundle `manual` (rule: the
    /// action's name) with one queued remote action, its outbox row and who asked, in ONE
    /// transaction; bumps `controlVersion` so a running serve looks at once. Throws
    /// `ManualCommandError.unknownVehicle` when asked to and the VIN has no engine state
    /// and no decision.
    @discardableResult
    func enqueueManualCommand(_ request: ManualCommandRequest, at now: Date) async throws -> ManualCommandRecord

    /// Who asked for each of these decisions that is a manual command (others absent).
    func manualCommands(firingIds: [Int64]) async throws -> [Int64: ManualCommandRecord]

    // MARK: - Deployments (`vigie apply`, the console; OutcomeDatabase+Deployments, PostgresStore+Deployments)

    /// Replaces the recorded deployment with `monitors` in ONE transaction; a monitor
    /// recorded with the same id and label keeps its `deployedAt` (else `now`).
    func replaceDeployment(_ monitors: [DeployedMonitorRecord], at now: Date) async throws

    /// The deployed monitors (of one vehicle when given) by vehicle, fleet monitors first,
    /// then label (byte order); `limit` of them from `offset`.
    func deployedMonitors(vin: String?, offset: Int, limit: Int) async throws -> [DeployedMonitorRecord]

    // MARK: - Alerts (Vigie's own alerts; OutcomeDatabase+Alerts, PostgresStore+Alerts)

    /// Opens `incident` unless one with its key is open (at most one open incident per key,
    /// whoever opens at the same time): returns the open one and whether it is new.
    @discardableResult
    func openAlertIncident(_ incident: AlertIncidentRecord) async throws -> (incident: AlertIncidentRecord, isNew: Bool)

    /// Resolves the open incident with `key` at `now` with `text`; nil when none is open.
    func resolveAlertIncident(key: String, text: String, at now: Date) async throws -> AlertIncidentRecord?

    /// The open incidents, oldest first.
    func openAlertIncidents() async throws -> [AlertIncidentRecord]

    /// The incidents with an alert due and not yet handed to the notifier, oldest first.
    func unsentAlertIncidents() async throws -> [AlertIncidentRecord]

    /// Records that the incident's alert of `state` was handed to the notifier.
    func markAlertSent(id: Int64, state: AlertIncidentRecord.State) async throws

    // MARK: - Trace (`vigie explain`, the console's trace page; OutcomeDatabase+Trace, PostgresStore+Trace)

    /// The rows of vehicle `vin` after inbox row `id`, in id order (an index on vin and id).
    func inboxRows(vin: String, after id: Int64) async throws -> [InboxRecord]

    /// Every row received at or after `from` and at or before `through`, in id order (an
    /// index on the receiving time).
    func inboxRows(receivedFrom from: Date, through: Date) async throws -> [InboxRecord]

    // MARK: - pgops (explain and retention on either store; OutcomeDatabase+Trace/+Explain/+Retention,
    // PostgresStore+Explain/+Retention; RuntimeStoreConformance+Pgops)

    /// The checkpoint of `scope` and vehicle `vin`'s saved state with it, read together.
    func engineState(scope: String, vin: String) async throws -> (checkpoint: EngineCheckpointRecord?, vehicle: Data?)

    /// The VINs the inbox names, sorted (an unknown `--vin`'s nearest match).
    func inboxVINs() async throws -> [String]

    /// The engine of `vigie serve` that observes vehicle `vin`, whose unpartitioned scope is
    /// `base` (`EngineScope`): `base` itself on one engine, `base/p<N>` with partitions.
    func engineScope(base: String, vin: String) async throws -> EngineScope

    /// One pruning pass of `retention:` (`RetentionCutoffs`), in batches of short
    /// transactions; nil, deleting nothing, when another process is pruning this store now.
    func pruneRetention(_ cutoffs: RetentionCutoffs) async throws -> RetentionCounts?
}

extension RuntimeStore {
    /// `appendIntake` for one batch.
    package func appendIntake(_ batch: IntakeBatch, at receivedAt: Date = Date()) async throws -> IntakeReceipt {
        try await appendIntake([batch], at: receivedAt)[0]
    }
}
